using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TransformersBook.Models;

namespace TransformersBook.Onnx;

/// <summary>
/// Decodes with the cached graph of <see cref="GptOnnxExport"/> in ONNX Runtime, one sequence (batch 1): the keys and
/// values each step writes stay in ONNX Runtime's memory and are fed back as the next step's past, so only the new
/// tokens go in and only the last position's logits come out as managed floats.
/// </summary>
public sealed class OnnxGptDecoder : IDisposable
{
    readonly InferenceSession session;
    readonly int layers;
    readonly long[] emptyPastShape;
    readonly string[] inputNames;
    readonly string[] outputNames;
    readonly int vocabularySize;
    OrtValue[] past;

    /// <param name="cachedModel">The bytes of <c>GptOnnxExport.Build(model, withCache: true)</c>.</param>
    /// <param name="config">The exported model's configuration.</param>
    /// <param name="threads">Threads for one operator.</param>
    public OnnxGptDecoder(byte[] cachedModel, GptConfig config, int threads)
    {
        ArgumentNullException.ThrowIfNull(config);
        session = OnnxSession.Create(cachedModel, threads);
        layers = config.Layers;
        vocabularySize = config.VocabularySize;
        emptyPastShape = new long[] { 1, config.Heads, 0, config.Width / config.Heads };
        inputNames = new[] { GptOnnxExport.Tokens }
            .Concat(Enumerable.Range(0, layers).SelectMany(i => new[] { GptOnnxExport.PastKey(i), GptOnnxExport.PastValue(i) })).ToArray();
        outputNames = new[] { GptOnnxExport.Logits }
            .Concat(Enumerable.Range(0, layers).SelectMany(i => new[] { GptOnnxExport.PresentKey(i), GptOnnxExport.PresentValue(i) })).ToArray();
        past = EmptyPast();
    }

    /// <summary>Positions held in the cache.</summary>
    public long CachedPositions => past[0].GetTensorTypeAndShape().Shape[2];

    /// <summary>Bytes the cached keys and values take.</summary>
    public long CacheBytes => past.Sum(value => value.GetTensorSizeInBytes());

    OrtValue[] EmptyPast() => Enumerable.Range(0, 2 * layers)
        .Select(_ => OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float, emptyPastShape)).ToArray();

    /// <summary>Empties the cache, to start a new sequence.</summary>
    public void Reset()
    {
        foreach (var value in past) value.Dispose();
        past = EmptyPast();
    }

    /// <summary>
    /// Feeds <paramref name="newTokens"/> (the prompt, then one token at a time) after the cached ones, extends the
    /// cache and returns the logits at the last new position.
    /// </summary>
    public float[] Forward(IReadOnlyList<long> newTokens)
    {
        ArgumentNullException.ThrowIfNull(newTokens);
        using var tokens = OrtValue.CreateTensorValueFromMemory(newTokens.ToArray(), new long[] { 1, newTokens.Count });
        var inputs = new OrtValue[1 + past.Length];
        inputs[0] = tokens;
        Array.Copy(past, 0, inputs, 1, past.Length);
        using var runOptions = new RunOptions();
        var outputs = session.Run(runOptions, inputNames, inputs, outputNames);
        float[] last;
        using (var logits = outputs[0])
            last = logits.GetTensorDataAsSpan<float>().Slice((newTokens.Count - 1) * vocabularySize, vocabularySize).ToArray();
        foreach (var value in past) value.Dispose();
        past = outputs.Skip(1).ToArray();
        return last;
    }

    /// <summary>Greedy decoding: the prompt in one pass, then the most likely token, fed back, <paramref name="newTokens"/> times.</summary>
    /// <returns>The prompt followed by the generated tokens.</returns>
    public long[] Greedy(IReadOnlyList<long> prompt, int newTokens)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        Reset();
        var sequence = prompt.ToList();
        var input = prompt;
        for (int i = 0; i < newTokens; i++)
        {
            var logits = Forward(input);
            long next = ArgMax(logits);
            sequence.Add(next);
            input = new[] { next };
        }
        return sequence.ToArray();
    }

    static long ArgMax(float[] values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    /// <summary>Frees the cache and the session.</summary>
    public void Dispose()
    {
        foreach (var value in past) value.Dispose();
        session.Dispose();
    }
}
