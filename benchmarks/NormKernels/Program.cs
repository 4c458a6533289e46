using ILGPU.Runtime;
using TorchSharp;
using TransformersBook.Display;
using TransformersBook.GpuKernels;
using TransformersBook.Runtime;
using static TorchSharp.torch;

// Times each ILGPU row kernel (both thread mappings) against TorchSharp's op on the same sizes, and prints effective
// bandwidth: the bytes a perfect kernel must move (inputs read once, outputs written once) per second. A device-to-
// device copy moves the same bytes per element as a softmax and is the ceiling to compare with.
var book = BookSetup.Start("norm-kernels-benchmark", 1234);
using var device = KernelDevice.Best();
Console.WriteLine($"ILGPU device: {device}; torch device: {book.Device}");

// The CPU accelerator simulates GPU threads with OS threads, so it gets small sizes and few iterations.
(int Rows, int Cols)[] sizes = device.IsCuda
    ? [(8192, 768), (8192, 1024), (4096, 4096), (16384, 8192)]
    : [(1024, 768), (512, 4096)];
int iterations = device.IsCuda ? 100 : 5;

long copyElements = device.IsCuda ? 64L << 20 : 4L << 20;
var copy = device.MeasureCopyBandwidth(copyElements, iterations);
Console.WriteLine($"Reference: device-to-device copy of {copyElements * 4 / (1 << 20)} MiB: {copy.GigabytesPerSecond:F1} GB/s");
Console.WriteLine();

var table = new Table("op", "rows×cols", "ILGPU mapping", "ILGPU ms", "ILGPU GB/s", "torch ms", "torch GB/s", "ILGPU speed / torch", "max |diff|");
var accelerator = device.Accelerator;
foreach (var (r, c) in sizes)
{
    var random = new Random(r * 31 + c);
    var host = Enumerable.Range(0, r * c).Select(_ => (float)(random.NextDouble() * 8 - 4)).ToArray();
    var gammaHost = Enumerable.Range(0, c).Select(_ => (float)(random.NextDouble() + 0.5)).ToArray();
    var betaHost = Enumerable.Range(0, c).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
    using var x = accelerator.Allocate1D(host);
    using var gamma = accelerator.Allocate1D(gammaHost);
    using var beta = accelerator.Allocate1D(betaHost);
    using var y = accelerator.Allocate1D<float>((long)r * c);

    using var scope = NewDisposeScope();
    var tx = tensor(host, device: book.Device).reshape(r, c);
    var tg = tensor(gammaHost, device: book.Device);
    var tb = tensor(betaHost, device: book.Device);

    foreach (var strategy in new[] { RowKernelStrategy.GroupPerRow, RowKernelStrategy.ThreadPerRow })
    {
        var softmax = new RowSoftmaxKernel(device, strategy);
        var layerNorm = new LayerNormKernel(device, strategy);
        var rmsNorm = new RmsNormKernel(device, strategy);

        var ours = softmax.Time(x.View, y.View, r, c, iterations);
        var theirs = TimeTorch(() => tx.softmax(1), RowSoftmaxKernel.BytesMoved(r, c), iterations);
        table.AddRow(Row("softmax", strategy, softmax.ThreadsPerRow, r, c, ours, theirs, Difference(y, tx.softmax(1))));

        ours = layerNorm.Time(x.View, gamma.View, beta.View, y.View, r, c, iterations);
        theirs = TimeTorch(() => nn.functional.layer_norm(tx, new long[] { c }, tg, tb), LayerNormKernel.BytesMoved(r, c), iterations);
        table.AddRow(Row("LayerNorm", strategy, layerNorm.ThreadsPerRow, r, c, ours, theirs, Difference(y, nn.functional.layer_norm(tx, new long[] { c }, tg, tb))));

        // TorchSharp 0.107 has no fused RMSNorm op; the reference is the composite x·rsqrt(mean(x²)+ε)·γ.
        Tensor TorchRms() => tx * rsqrt(tx.square().mean(new long[] { 1 }, keepdim: true) + 1e-6) * tg;
        ours = rmsNorm.Time(x.View, gamma.View, y.View, r, c, iterations);
        theirs = TimeTorch(TorchRms, RmsNormKernel.BytesMoved(r, c), iterations);
        table.AddRow(Row("RMSNorm", strategy, rmsNorm.ThreadsPerRow, r, c, ours, theirs, Difference(y, TorchRms())));
    }
}

Console.WriteLine(table.ToPlainText());

object[] Row(string op, RowKernelStrategy strategy, int threads, int r, int c, KernelTiming ours, KernelTiming theirs, double difference) =>
[
    op, $"{r}×{c}", strategy == RowKernelStrategy.GroupPerRow ? $"group of {threads}/row" : "thread/row",
    $"{ours.PerRun.TotalMilliseconds:F3}", $"{ours.GigabytesPerSecond:F2}",
    $"{theirs.PerRun.TotalMilliseconds:F3}", $"{theirs.GigabytesPerSecond:F2}",
    $"{theirs.PerRun.TotalSeconds / ours.PerRun.TotalSeconds:F2}×", $"{difference:G2}",
];

KernelTiming TimeTorch(Func<Tensor> op, long bytes, int count) => KernelTimer.MeasureTorch("torch", op, 0, bytes, count);

double Difference(MemoryBuffer1D<float, ILGPU.Stride1D.Dense> ours, Tensor theirs)
{
    using var expected = theirs.cpu();
    var actual = ours.GetAsArray1D();
    var reference = expected.data<float>().ToArray();
    double worst = 0;
    for (int i = 0; i < actual.Length; i++) worst = Math.Max(worst, Math.Abs(actual[i] - reference[i]));
    return worst;
}
