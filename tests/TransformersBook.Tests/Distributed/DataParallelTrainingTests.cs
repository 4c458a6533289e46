using TransformersBook.Distributed;

namespace TransformersBook.Tests;

/// <summary>
/// Data-parallel training: N simulated processes with a summing all-reduce equal one process with N times the batch,
/// and a real 2-process Open MPI job (when mpirun is installed) equals it too.
/// </summary>
[Collection(ProcessState.Name)]
public class DataParallelTrainingTests
{
    static readonly DataParallelSettings Small = new(GlobalBatch: 16, Steps: 5, HiddenSize: 8);

    public DataParallelTrainingTests() => TestSetup.Initialize();

    [Fact]
    public void Simulated_processes_equal_one_process_with_the_whole_batch()
    {
        var single = DataParallelTraining.Train(Small, 0, 1, _ => { });
        // Four replicas in lockstep on four threads, meeting at a barrier that sums their buffers.
        const int world = 4;
        var buffers = new float[world][];
        using var barrier = new Barrier(world, _ =>
        {
            var sum = new float[buffers[0].Length];
            foreach (var b in buffers) for (int i = 0; i < sum.Length; i++) sum[i] += b[i];
            foreach (var b in buffers) sum.CopyTo(b, 0);
        });
        var reports = new DataParallelReport[world];
        var threads = Enumerable.Range(0, world).Select(rank => new Thread(() =>
            reports[rank] = DataParallelTraining.Train(Small, rank, world, buffer => { buffers[rank] = buffer; barrier.SignalAndWait(); }))).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        foreach (var report in reports)
        {
            Assert.True(MaxAbs(report.Parameters, single.Parameters) < 1e-5);
            Assert.True(MaxAbs(report.Losses, single.Losses) < 1e-5);
        }
        Assert.True(MaxAbs(single.Parameters, DataParallelTraining.Flatten(DataParallelTraining.CreateModel(Small).parameters())) > 1e-3);
    }

    [Fact]
    public void Two_mpi_processes_equal_one_process_with_twice_the_batch()
    {
        if (MpiLauncher.FindMpirun() is null) return; // Open MPI is not installed: nothing to run.
        var worker = Path.Combine(Book.Native.BookRoot.FindFrom(AppContext.BaseDirectory)!, MpiLauncher.DataParallelWorker);
        Assert.True(File.Exists(worker), $"the worker is built with the solution: {worker}");
        using var folder = new TempFolder();
        var output = Path.Combine(folder.Path, "report.json");
        var job = MpiLauncher.Run(2, worker, new[] { "--out", output, "--steps", "5", "--batch", "16", "--hidden", "8" }, TimeSpan.FromMinutes(2));
        Assert.True(job.Succeeded, job.Output + job.Errors);
        var report = DataParallelReport.Load(output);
        Assert.Equal(2, report.WorldSize);
        var single = DataParallelTraining.Train(Small, 0, 1, _ => { });
        Assert.True(MaxAbs(report.Parameters, single.Parameters) < 1e-5);
    }

    [Fact]
    public void Mpirun_is_found_through_the_real_folder_and_started_with_root_and_oversubscription_flags()
    {
        var arguments = MpiLauncher.Arguments(4, "worker.dll", new[] { "--steps", "3" }, hostfile: "hosts");
        Assert.Equal(new[] { "--allow-run-as-root", "--oversubscribe", "-np", "4", "--hostfile", "hosts" }, arguments.Take(6));
        Assert.Equal(new[] { "worker.dll", "--steps", "3" }, arguments.Skip(7));
        if (MpiLauncher.FindMpirun() is { } mpirun) Assert.DoesNotContain("//", mpirun);
    }

    static double MaxAbs(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs((double)x - y)).Max();
}
