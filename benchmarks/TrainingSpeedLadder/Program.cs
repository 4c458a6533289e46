// The training-speed ladder of the optimization chapter (chapters/03-training/03-optimization-and-stability.ipynb,
// "A training-speed ladder") as a program: full training steps (forward, cross-entropy, backward, AdamW) of the book's
// GPT on random tokens, each rung adding one change to the one before, printed as a markdown table. The chapter runs
// its small model; this program takes the sizes as arguments, so the same rungs can be measured where a GPU's
// arithmetic matters (GPT-2 small: --layers 12 --heads 12 --width 768 --context 1024 --vocab 50257).
using System.Globalization;
using TorchSharp;
using TransformersBook.Models;
using TransformersBook.Runtime;
using static TorchSharp.torch;

var options = LadderOptions.Parse(args);
// BookSetup reads BOOK_DEVICE and must run before the first torch call: it chooses libtorch (CPU, or a CUDA build).
Environment.SetEnvironmentVariable(DeviceSelection.EnvironmentVariable, options.Device);
var book = BookSetup.Start("training-speed-ladder", options.Seed, Console.Error);

(double Ms, double TokensPerSecond, long Parameters) TimeSteps(int vocabulary, int batch, ScalarType dtype)
{
    book.Reseed();
    using var model = new Gpt(new GptConfig(vocabulary, options.Context, options.Layers, options.Heads, options.Width)).to(book.Device).to(dtype);
    using var optimizer = optim.AdamW(model.parameters(), lr: 1e-4);
    using var tokens = randint(0, options.Vocabulary, new long[] { batch, options.Context + 1 }).to(book.Device);
    double ms = Timing.MedianMilliseconds(() =>
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        model.Loss(tokens.narrow(1, 0, options.Context), tokens.narrow(1, 1, options.Context)).backward();
        optimizer.step();
    }, options.Repeats, warmups: options.Warmups);
    return (ms, batch * options.Context / (ms / 1000), model.parameters().Sum(p => p.numel()));
}

void Row(string rung, int batch, int vocabulary, string dtype, (double Ms, double TokensPerSecond, long Parameters) result) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {rung} | {batch} | {vocabulary} | {dtype} | {result.Parameters:N0} | {result.Ms:F2} | {result.TokensPerSecond:N0} |"));

int paddedVocabulary = (options.Vocabulary + 63) / 64 * 64;
// On a GPU the ladder continues in bf16 from rung 3; on a CPU (no autocast in TorchSharp 0.107) it continues from float32.
var laterDtype = book.IsCuda ? ScalarType.BFloat16 : ScalarType.Float32;
string laterName = laterDtype == ScalarType.BFloat16 ? "bfloat16" : "float32";
Console.WriteLine($"Training-speed ladder: the book's GPT ({options.Layers} blocks, {options.Heads} heads, width {options.Width}, " +
                  $"context {options.Context}), median of {options.Repeats} steps after {options.Warmups}, on {book.Device.type}");
for (int pass = 1; pass <= options.Passes; pass++)
{
    Console.WriteLine();
    Console.WriteLine($"Pass {pass} of {options.Passes}");
    Console.WriteLine("| rung | batch | vocabulary | dtype | parameters | ms/step | tokens/s |");
    Console.WriteLine("|---|---|---|---|---|---|---|");
    if (book.IsCuda) torch.backends.cuda.matmul.allow_tf32 = false;
    Row("1. baseline", options.Batch, options.Vocabulary, "float32", TimeSteps(options.Vocabulary, options.Batch, ScalarType.Float32));
    if (book.IsCuda)
    {
        torch.backends.cuda.matmul.allow_tf32 = true;
        Row("2. + TF32", options.Batch, options.Vocabulary, "float32 (TF32)", TimeSteps(options.Vocabulary, options.Batch, ScalarType.Float32));
    }
    else Console.WriteLine("| 2. + TF32 | — | — | — | — | — | not applicable on a CPU (a GPU tensor-core mode) |");
    Row("3. + bf16", options.Batch, options.Vocabulary, "bfloat16 (whole model)", TimeSteps(options.Vocabulary, options.Batch, ScalarType.BFloat16));
    Console.WriteLine("| 4. + fused attention | — | — | — | — | — | already in the baseline (scaled_dot_product_attention) |");
    Row("5. + padded vocabulary", options.Batch, paddedVocabulary, laterName, TimeSteps(paddedVocabulary, options.Batch, laterDtype));
    Row("6. + larger batch", options.LargeBatch, paddedVocabulary, laterName, TimeSteps(paddedVocabulary, options.LargeBatch, laterDtype));
}
return 0;

sealed record LadderOptions(int Layers, int Heads, int Width, int Context, int Vocabulary, int Batch, int LargeBatch,
    int Repeats, int Warmups, int Passes, string Device, int Seed)
{
    const string Usage =
        "usage: TrainingSpeedLadder [--layers 4] [--heads 4] [--width 128] [--context 64] [--vocab 2001] [--batch 8]\n" +
        "                           [--large-batch 32] [--repeats 9] [--warmups 2] [--passes 1] [--device auto|cpu|cuda] [--seed 1234]";

    public static LadderOptions Parse(string[] args)
    {
        var line = new CommandLineOptions(args, Usage);
        var options = new LadderOptions(line.Int("layers", 4), line.Int("heads", 4), line.Int("width", 128), line.Int("context", 64),
            line.Int("vocab", 2001), line.Int("batch", 8), line.Int("large-batch", 32), line.Int("repeats", 9), line.Int("warmups", 2),
            line.Int("passes", 1), line.Text("device") ?? "auto", line.Int("seed", 1234));
        line.RejectUnread();
        if (options.Layers < 1 || options.Heads < 1 || options.Width < 1 || options.Context < 1 || options.Vocabulary < 2 ||
            options.Batch < 1 || options.LargeBatch < 1 || options.Repeats < 1 || options.Warmups < 0 || options.Passes < 1)
            throw new ArgumentException($"sizes, batches, --repeats and --passes must be positive, --warmups not negative, --vocab at least 2.\n{Usage}");
        if (options.Width % options.Heads != 0) throw new ArgumentException($"--width ({options.Width}) must be a multiple of --heads ({options.Heads}).");
        return options;
    }
}
