using ILGPU;
using ILGPU.Runtime;
using TorchSharp;
using TransformersBook.Attention;
using TransformersBook.Display;
using TransformersBook.GpuKernels;
using TransformersBook.Runtime;
using static TorchSharp.torch;

// Sliding-window attention (radius r, symmetric window) for one head of width d over sequences of length n, three ways:
// the book's ILGPU kernel (never stores a score), TorchSharp's banded form (scores n × (2r + 1)), and TorchSharp's dense
// form under an n × n mask (what a framework does without a sparse kernel). "Effective GB/s" counts the bytes a
// perfect kernel must move: q, k and v read once and the output written once.
var book = BookSetup.Start("sliding-window-benchmark", 1234);
using var device = KernelDevice.Best();
Console.WriteLine($"ILGPU device: {device}; torch device: {book.Device}");

const int Dim = 64, Radius = 32;
// The CPU accelerator simulates GPU threads with OS threads, so it gets short sequences and few iterations.
(int Sequences, int Length)[] sizes = device.IsCuda
    ? [(64, 1024), (16, 4096), (4, 16384)]
    : [(4, 512), (1, 2048), (1, 4096)];
int iterations = device.IsCuda ? 50 : 3;
var kernel = new SlidingWindowAttentionKernel(device);

var table = new Table("sequences×n", "ILGPU ms", "ILGPU GB/s", "banded ms", "dense ms", "banded / ILGPU", "dense / ILGPU", "dense scores", "max |diff|");
foreach (var (sequences, n) in sizes)
{
    int total = sequences * n;
    var random = new Random(total);
    float[] Random() => Enumerable.Range(0, total * Dim).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    float[] q = Random(), k = Random(), v = Random();
    var shape = new SlidingWindowShape(total, n, Dim, Radius, causal: false);
    long bytes = 4L * total * Dim * sizeof(float);

    var accelerator = device.Accelerator;
    using var qBuffer = accelerator.Allocate1D(q);
    using var kBuffer = accelerator.Allocate1D(k);
    using var vBuffer = accelerator.Allocate1D(v);
    using var output = accelerator.Allocate1D<float>((long)total * Dim);
    var ours = KernelTimer.Measure(accelerator, "ILGPU",
        () => kernel.Launch(qBuffer.View, kBuffer.View, vBuffer.View, output.View, shape), (long)total * Dim, bytes, iterations);

    using var scope = NewDisposeScope();
    var tq = tensor(q, device: book.Device).reshape(sequences, n, Dim);
    var tk = tensor(k, device: book.Device).reshape(sequences, n, Dim);
    var tv = tensor(v, device: book.Device).reshape(sequences, n, Dim);
    var keep = SlidingWindowMask.Symmetric(n, Radius, book.Device);
    Tensor Dense() => MaskedSoftmax.Softmax(tq.matmul(tk.transpose(1, 2)) / Math.Sqrt(Dim), keep).matmul(tv);
    Tensor Banded() => BandedWindowAttention.Compute(tq, tk, tv, Radius);
    var banded = KernelTimer.MeasureTorch("banded", Banded, (long)total * Dim, bytes, iterations);
    var dense = KernelTimer.MeasureTorch("dense", Dense, (long)total * Dim, bytes, iterations);

    using var expected = Dense().cpu();
    var reference = expected.data<float>().ToArray();
    var actual = output.GetAsArray1D();
    double worst = actual.Select((value, i) => Math.Abs(value - reference[i])).Max();

    table.AddRow(
        $"{sequences}×{n}", $"{ours.PerRun.TotalMilliseconds:F3}", $"{ours.GigabytesPerSecond:F2}",
        $"{banded.PerRun.TotalMilliseconds:F3}", $"{dense.PerRun.TotalMilliseconds:F3}",
        $"{banded.PerRun.TotalSeconds / ours.PerRun.TotalSeconds:F2}×", $"{dense.PerRun.TotalSeconds / ours.PerRun.TotalSeconds:F2}×",
        $"{(long)sequences * n * n * sizeof(float) / (1 << 20)} MiB", $"{worst:G2}");
}

Console.WriteLine($"d = {Dim}, r = {Radius} (window of {2 * Radius + 1}), {iterations} timed runs after one warm-up");
Console.WriteLine(table.ToPlainText());
