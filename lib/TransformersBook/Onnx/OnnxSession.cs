using Microsoft.ML.OnnxRuntime;
using TensorElementType = Microsoft.ML.OnnxRuntime.Tensors.TensorElementType;
using Tensor = TorchSharp.torch.Tensor;
using static TorchSharp.torch;

namespace TransformersBook.Onnx;

/// <summary>
/// An ONNX Runtime inference session on the CPU, fed and read with TorchSharp tensors (copied in and out; float32 and
/// int64). The session optimizes the graph once when it is created (constant folding, operator fusion) with every
/// optimization level enabled, and runs it with <paramref name="threads"/> threads inside an operator.
/// </summary>
/// <param name="model">The model file's bytes (<see cref="OnnxGraph.ToBytes"/>).</param>
/// <param name="threads">Threads for one operator; pass torch.get_num_threads() to match TorchSharp.</param>
public sealed class OnnxSession(byte[] model, int threads) : IDisposable
{
    readonly InferenceSession session = Create(model, threads);

    /// <summary>The graph's input names, in order.</summary>
    public IReadOnlyList<string> InputNames => session.InputNames;

    /// <summary>The graph's output names, in order.</summary>
    public IReadOnlyList<string> OutputNames => session.OutputNames;

    internal InferenceSession Session => session;

    internal static InferenceSession Create(byte[] model, int threads)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        return new InferenceSession(model, options);
    }

    /// <summary>Runs the graph on CPU tensors and returns every output as a new CPU tensor.</summary>
    /// <param name="inputs">One tensor per graph input, by name.</param>
    public Dictionary<string, Tensor> Run(IReadOnlyDictionary<string, Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var names = inputs.Keys.ToArray();
        var values = names.Select(name => ToOrtValue(inputs[name])).ToArray();
        try
        {
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, names, values, session.OutputNames);
            return session.OutputNames.Zip(outputs).ToDictionary(pair => pair.First, pair => ToTensor(pair.Second));
        }
        finally
        {
            foreach (var value in values) value.Dispose();
        }
    }

    /// <summary>A copy of a float32 or int64 tensor as an ORT value that owns its memory.</summary>
    internal static OrtValue ToOrtValue(Tensor tensor)
    {
        using var cpu = tensor.detach().cpu().contiguous();
        if (cpu.numel() == 0 && cpu.dtype is ScalarType.Float32 or ScalarType.Int64)
            return OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance,
                cpu.dtype == ScalarType.Float32 ? TensorElementType.Float : TensorElementType.Int64, cpu.shape);
        if (cpu.dtype == ScalarType.Float32) return OrtValue.CreateTensorValueFromMemory(cpu.data<float>().ToArray(), cpu.shape);
        if (cpu.dtype == ScalarType.Int64) return OrtValue.CreateTensorValueFromMemory(cpu.data<long>().ToArray(), cpu.shape);
        throw new ArgumentException($"inputs here are float32 or int64, not {cpu.dtype}.", nameof(tensor));
    }

    /// <summary>A copy of a float32 or int64 ORT value as a TorchSharp tensor.</summary>
    internal static Tensor ToTensor(OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        if (info.ElementCount == 0)
            return TorchSharp.torch.empty(info.Shape, info.ElementDataType == TensorElementType.Int64 ? ScalarType.Int64 : ScalarType.Float32);
        return info.ElementDataType switch
        {
            TensorElementType.Float => TorchSharp.torch.tensor(value.GetTensorDataAsSpan<float>().ToArray(), info.Shape),
            TensorElementType.Int64 => TorchSharp.torch.tensor(value.GetTensorDataAsSpan<long>().ToArray(), info.Shape),
            var other => throw new NotSupportedException($"outputs here are float32 or int64, not {other}."),
        };
    }

    /// <summary>Frees the session.</summary>
    public void Dispose() => session.Dispose();
}
