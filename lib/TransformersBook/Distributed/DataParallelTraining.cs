using System.Text.Json;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Distributed;

/// <summary>
/// The sizes of the data-parallel experiment: a two-layer regression network trained by SGD with momentum on a
/// synthetic teacher, <paramref name="GlobalBatch"/> examples per step split evenly over the processes.
/// </summary>
public sealed record DataParallelSettings(
    int InputSize = 16, int HiddenSize = 64, int GlobalBatch = 64, int Steps = 20, double LearningRate = 0.05,
    double Momentum = 0.9, int Seed = 7);

/// <summary>What a data-parallel run returns: the mean loss of each step over the global batch, and the final parameters.</summary>
public sealed record DataParallelReport(
    int WorldSize, DataParallelSettings Settings, float[] Losses, float[] Parameters, double TrainSeconds,
    double AllReduceSeconds, long AllReducedElementsPerStep, string[] Hosts)
{
    static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    /// <summary>Writes the report as JSON.</summary>
    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(this, Options));
    }

    /// <summary>Reads a report written by <see cref="Save"/>.</summary>
    public static DataParallelReport Load(string path) =>
        JsonSerializer.Deserialize<DataParallelReport>(File.ReadAllText(path), Options)
        ?? throw new InvalidDataException($"{path} holds no data-parallel report.");
}

/// <summary>
/// Data-parallel training: every process holds the whole model, computes the gradient of the mean loss on its slice
/// of the global batch, and the gradients are summed across processes (an all-reduce) and divided by the number of
/// processes before the same optimizer step everywhere. The average of N slice means equals the mean over the global
/// batch, so N processes take the steps that one process takes with N times the batch, up to float rounding.
/// </summary>
public static class DataParallelTraining
{
    static readonly object SeedGate = new();

    /// <summary>The network, initialised from the seed alone, so every process builds the same one.</summary>
    /// <remarks>Seeding and drawing hold a lock, so replicas built on several threads of one process draw the same values.</remarks>
    public static Sequential CreateModel(DataParallelSettings settings)
    {
        lock (SeedGate)
        {
            torch.manual_seed(settings.Seed);
            return nn.Sequential(
                ("hidden", nn.Linear(settings.InputSize, settings.HiddenSize)),
                ("tanh", nn.Tanh()),
                ("output", nn.Linear(settings.HiddenSize, 1)));
        }
    }

    /// <summary>
    /// The global batch of a step: inputs from a generator seeded by (seed, step) and targets from a fixed teacher,
    /// y = tanh(2 x · w) + 0.1 x₀², so every process can make the same batch without communicating.
    /// </summary>
    public static (Tensor Inputs, Tensor Targets) GlobalBatch(DataParallelSettings settings, int step)
    {
        var random = new Random(settings.Seed * 100_003 + step);
        var teacher = new Random(settings.Seed);
        var weights = Enumerable.Range(0, settings.InputSize).Select(_ => teacher.NextDouble() - 0.5).ToArray();
        var inputs = new float[settings.GlobalBatch * settings.InputSize];
        var targets = new float[settings.GlobalBatch];
        for (int row = 0; row < settings.GlobalBatch; row++)
        {
            double dot = 0;
            for (int column = 0; column < settings.InputSize; column++)
            {
                double value = random.NextDouble() * 2 - 1;
                inputs[row * settings.InputSize + column] = (float)value;
                dot += value * weights[column];
            }
            double first = inputs[row * settings.InputSize];
            targets[row] = (float)(Math.Tanh(2 * dot) + 0.1 * first * first);
        }
        return (torch.tensor(inputs).reshape(settings.GlobalBatch, settings.InputSize), torch.tensor(targets).reshape(settings.GlobalBatch, 1));
    }

    /// <summary>Rows [rank·B/N, (rank+1)·B/N) of the global batch: this process's slice.</summary>
    /// <exception cref="ArgumentException">The global batch does not divide evenly over the processes.</exception>
    public static (long Start, long Length) Slice(int globalBatch, int rank, int worldSize)
    {
        if (globalBatch % worldSize != 0) throw new ArgumentException($"A global batch of {globalBatch} does not split evenly over {worldSize} processes.");
        long length = globalBatch / worldSize;
        return (rank * length, length);
    }

    /// <summary>The parameters, flattened and concatenated in the model's order.</summary>
    public static float[] Flatten(IEnumerable<Tensor> tensors)
    {
        using var scope = torch.NewDisposeScope();
        return torch.cat(tensors.Select(t => t.detach().reshape(-1)).ToArray()).data<float>().ToArray();
    }

    /// <summary>
    /// Trains as process <paramref name="rank"/> of <paramref name="worldSize"/>; <paramref name="allReduceSum"/> sums a
    /// buffer over all processes in place (MPI_Allreduce; for one process, nothing). The buffer holds the flattened
    /// gradients followed by the local loss.
    /// </summary>
    public static DataParallelReport Train(DataParallelSettings settings, int rank, int worldSize, Action<float[]> allReduceSum, string[]? hosts = null)
    {
        ArgumentNullException.ThrowIfNull(allReduceSum);
        var (start, length) = Slice(settings.GlobalBatch, rank, worldSize);
        using var model = CreateModel(settings);
        var parameters = model.parameters().ToList();
        var optimizer = optim.SGD(parameters, settings.LearningRate, settings.Momentum);
        long elements = parameters.Sum(p => p.numel()) + 1;
        var buffer = new float[elements];
        var losses = new float[settings.Steps];
        double reduceSeconds = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int step = 0; step < settings.Steps; step++)
        {
            using var scope = torch.NewDisposeScope();
            var (inputs, targets) = GlobalBatch(settings, step);
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(model.forward(inputs.narrow(0, start, length)), targets.narrow(0, start, length));
            loss.backward();
            int offset = 0;
            foreach (var parameter in parameters)
            {
                var values = parameter.grad!.reshape(-1).data<float>().ToArray();
                values.CopyTo(buffer, offset);
                offset += values.Length;
            }
            buffer[offset] = loss.item<float>();
            var reduceClock = System.Diagnostics.Stopwatch.StartNew();
            allReduceSum(buffer);
            reduceSeconds += reduceClock.Elapsed.TotalSeconds;
            offset = 0;
            using (torch.no_grad())
            {
                foreach (var parameter in parameters)
                {
                    int count = (int)parameter.numel();
                    var averaged = torch.tensor(buffer.AsSpan(offset, count).ToArray()).reshape(parameter.shape) / worldSize;
                    parameter.grad!.copy_(averaged);
                    offset += count;
                }
            }
            losses[step] = buffer[offset] / worldSize;
            optimizer.step();
        }
        return new DataParallelReport(worldSize, settings, losses, Flatten(parameters), clock.Elapsed.TotalSeconds, reduceSeconds,
            elements, hosts ?? Array.Empty<string>());
    }
}
