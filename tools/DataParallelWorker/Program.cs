// One process of a data-parallel job: `mpirun -np N dotnet artifacts/data-parallel/DataParallelWorker.dll --out F`.
// Every process builds the same network from the seed, trains on its slice of each global batch, and sums the
// gradients with MPI_Allreduce; rank 0 writes the losses and final parameters to F as JSON.
using System.Globalization;
using TorchSharp;
using TransformersBook.Distributed;
using TransformersBook.Runtime;

string? output = null;
var settings = new DataParallelSettings();
for (int i = 0; i + 1 < args.Length; i += 2)
{
    int Number() => int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    switch (args[i])
    {
        case "--out": output = args[i + 1]; break;
        case "--steps": settings = settings with { Steps = Number() }; break;
        case "--batch": settings = settings with { GlobalBatch = Number() }; break;
        case "--hidden": settings = settings with { HiddenSize = Number() }; break;
        case "--seed": settings = settings with { Seed = Number() }; break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}

// BookSetup loads libtorch as the book's other processes do (the libstdc++ compatibility copy included).
BookSetup.Start("data-parallel-worker", settings.Seed, output: null);
// N processes share the machine's cores: one thread each.
torch.set_num_threads(1);
using var world = MpiCommunicator.Initialize();
var report = DataParallelTraining.Train(settings, world.Rank, world.Size, world.AllReduceSum, new[] { world.ProcessorName });
world.Barrier();
if (world.Rank == 0)
{
    if (output is not null) report.Save(output);
    Console.WriteLine($"rank 0 of {world.Size} on {world.ProcessorName}: final loss {report.Losses[^1]:F5}, {report.TrainSeconds:F2} s");
}
return 0;
