// Training throughput of the book's GPT (TransformersBook.Models.Gpt) on Moby Dick, printed as one JSON line.
// pytorch_gpt.py is the same model, data, optimizer and loop in PyTorch eager, and prints the same line, so that the
// two can be compared on one machine (see README.md).
using System.Diagnostics;
using System.Text.Json;
using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Data;
using TransformersBook.Models;
using TransformersBook.Runtime;
using static TorchSharp.torch;

var options = BenchmarkOptions.Parse(args);
// BookSetup reads BOOK_DEVICE and must run before the first torch call: it chooses libtorch (CPU, or a CUDA build).
Environment.SetEnvironmentVariable(DeviceSelection.EnvironmentVariable, options.Device);
var book = BookSetup.Start("gpt-throughput", options.Seed, Console.Error);
if (options.Threads is int threads) torch.set_num_threads(threads);

string text = options.TextPath is null ? MobyDick.Text() : File.ReadAllText(options.TextPath);
if (options.WriteText is not null)
{
    File.WriteAllText(options.WriteText, MobyDick.Text());
    Console.Error.WriteLine($"wrote the text to {options.WriteText}");
}
var data = new TextDataset(text, validationFraction: 0.1, seed: options.Seed);
var config = new GptConfig(data.VocabularySize, options.Context, options.Layers, options.Heads, options.Width, options.Dropout);

book.Reseed();
using var model = new Gpt(config).to(book.Device);
model.train();
// nanoGPT's AdamW: weight decay on the matrices (embeddings included), none on biases and LayerNorm parameters.
var decayed = model.parameters().Where(p => p.dim() >= 2).ToList();
var notDecayed = model.parameters().Where(p => p.dim() < 2).ToList();
var optimizer = optim.AdamW(new[]
{
    new AdamW.ParamGroup(decayed, lr: options.LearningRate, beta1: 0.9, beta2: 0.99, eps: 1e-8, weight_decay: options.WeightDecay),
    new AdamW.ParamGroup(notDecayed, lr: options.LearningRate, beta1: 0.9, beta2: 0.99, eps: 1e-8, weight_decay: 0.0),
});
var parameters = model.parameters().ToList();
var batches = data.Batches(DataSplit.Train, options.Batch, options.Context, book.Device);

float TrainStep(int step)
{
    using var scope = NewDisposeScope();
    var batch = batches(step);
    optimizer.zero_grad();
    var loss = model.Loss(batch.Input, batch.Target);
    loss.backward();
    nn.utils.clip_grad_norm_(parameters, 1.0);
    optimizer.step();
    // Reading the loss waits for the device, as the book's Trainer does every step (and pytorch_gpt.py too).
    return loss.item<float>();
}

// Waits until the device has run everything queued so far (the last parameter update included).
void Synchronize()
{
    using var scope = NewDisposeScope();
    parameters[^1].sum().item<float>();
}

float firstLoss = float.NaN, lastLoss = float.NaN;
for (int step = 1; step <= options.Warmup; step++)
{
    float loss = TrainStep(step);
    if (step == 1) firstLoss = loss;
    if (step % 100 == 0) GC.Collect(0);
}
Synchronize();
var clock = Stopwatch.StartNew();
for (int step = options.Warmup + 1; step <= options.Warmup + options.Steps; step++)
{
    lastLoss = TrainStep(step);
    if (options.Warmup == 0 && step == 1) firstLoss = lastLoss;
    // TorchSharp frees the native Scalars that operations make from plain numbers in finalizers (see TrainerOptions).
    if (step % 100 == 0) GC.Collect(0);
}
Synchronize();
double seconds = clock.Elapsed.TotalSeconds;
long tokens = (long)options.Batch * options.Context * options.Steps;

var result = new Dictionary<string, object?>
{
    ["framework"] = "TorchSharp",
    ["version"] = typeof(torch).Assembly.GetName().Version?.ToString(),
    ["device"] = book.IsCuda ? $"cuda ({book.Diagnostics.Summary})" : "cpu",
    ["threads"] = torch.get_num_threads(),
    ["layers"] = options.Layers,
    ["heads"] = options.Heads,
    ["width"] = options.Width,
    ["context"] = options.Context,
    ["batch"] = options.Batch,
    ["dropout"] = options.Dropout,
    ["vocabulary"] = data.VocabularySize,
    ["parameters"] = parameters.Sum(p => p.numel()),
    ["warmup_steps"] = options.Warmup,
    ["steps"] = options.Steps,
    ["seconds"] = Math.Round(seconds, 3),
    ["ms_per_step"] = Math.Round(1000 * seconds / options.Steps, 2),
    ["tokens_per_second"] = Math.Round(tokens / seconds, 1),
    ["first_loss"] = Math.Round(firstLoss, 4),
    ["last_loss"] = Math.Round(lastLoss, 4),
    ["optimizer"] = "AdamW (TorchSharp: one parameter at a time)",
};
Console.WriteLine(JsonSerializer.Serialize(result));

/// <summary>The command line: the model's size, the batch, how long to run and where.</summary>
sealed record BenchmarkOptions(
    int Layers, int Heads, int Width, int Context, int Batch, int Steps, int Warmup, string Device, double Dropout,
    double LearningRate, double WeightDecay, int Seed, int? Threads, string? TextPath, string? WriteText)
{
    const string Usage =
        "usage: GptThroughput [--layers 6] [--heads 6] [--width 384] [--context 256] [--batch 64] [--steps 50] [--warmup 10]\n" +
        "                     [--device auto|cpu|cuda] [--dropout 0.2] [--lr 1e-3] [--weight-decay 0.1] [--seed 1234]\n" +
        "                     [--threads N] [--text FILE] [--write-text FILE]";

    public static BenchmarkOptions Parse(string[] args)
    {
        var line = new CommandLineOptions(args, Usage);
        var options = new BenchmarkOptions(
            line.Int("layers", 6), line.Int("heads", 6), line.Int("width", 384), line.Int("context", 256), line.Int("batch", 64),
            line.Int("steps", 50), line.Int("warmup", 10), line.Text("device") ?? "auto", line.Double("dropout", 0.2),
            line.Double("lr", 1e-3), line.Double("weight-decay", 0.1), line.Int("seed", 1234), line.IntOrNull("threads"),
            line.Text("text"), line.Text("write-text"));
        line.RejectUnread();
        if (options.Steps < 1 || options.Warmup < 0) throw new ArgumentException("--steps must be positive and --warmup not negative.");
        return options;
    }
}
