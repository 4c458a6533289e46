using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace TransformersBook.Onnx;

/// <summary>
/// An ONNX graph under construction: named inputs and outputs with their element types and shapes, nodes (an operator
/// type, the names of the values it reads and writes, attributes) listed in an order where every value is written
/// before it is read, and initializers, the constant tensors (weights) stored in the file. <see cref="ToBytes"/>
/// serializes it as a <c>ModelProto</c> of the default domain at one opset (OnnxSharp's generated protobuf classes).
/// The public surface uses only strings, numbers and TorchSharp tensors, so a notebook needs no reference to the
/// protobuf or ONNX Runtime assemblies.
/// </summary>
public sealed class OnnxGraph
{
    readonly GraphProto graph;
    readonly Dictionary<string, int> operatorCounts = new();
    int nodes;

    /// <param name="name">The graph's name, stored in the file.</param>
    public OnnxGraph(string name) => graph = new GraphProto { Name = name };

    /// <summary>How many nodes the graph has.</summary>
    public int NodeCount => nodes;

    /// <summary>How many initializers (constant tensors) the graph has.</summary>
    public int InitializerCount => graph.Initializer.Count;

    /// <summary>Elements in all float initializers: the model's parameters, plus any float constants.</summary>
    public long FloatInitializerElements { get; private set; }

    /// <summary>Nodes per operator type, in the order each type first appeared.</summary>
    public IReadOnlyDictionary<string, int> OperatorCounts => operatorCounts;

    /// <summary>The names of the graph's inputs, in order.</summary>
    public IReadOnlyList<string> InputNames => graph.Input.Select(value => value.Name).ToArray();

    /// <summary>The names of the graph's outputs, in order.</summary>
    public IReadOnlyList<string> OutputNames => graph.Output.Select(value => value.Name).ToArray();

    /// <summary>
    /// Declares a graph input. Each dimension is either a number (fixed) or a name (symbolic, e.g. "batch"); the same
    /// name in two places states that the two sizes are equal.
    /// </summary>
    /// <param name="name">The value's name.</param>
    /// <param name="elementType">Its element type: float32 or int64.</param>
    /// <param name="dimensions">One string per axis: digits for a fixed size, anything else for a symbolic one.</param>
    /// <returns>The name, to pass to nodes.</returns>
    public string Input(string name, ScalarType elementType, params string[] dimensions)
    {
        graph.Input.Add(ValueInfo(name, elementType, dimensions));
        return name;
    }

    /// <summary>Declares a graph output (a value some node writes); dimensions as in <see cref="Input"/>.</summary>
    public void Output(string name, ScalarType elementType, params string[] dimensions) =>
        graph.Output.Add(ValueInfo(name, elementType, dimensions));

    /// <summary>Stores a float32 or int64 tensor in the file under <paramref name="name"/> (a weight, a constant).</summary>
    /// <returns>The name, to pass to nodes.</returns>
    public string Initializer(string name, Tensor value)
    {
        using var scope = NewDisposeScope();
        var cpu = value.detach().cpu().contiguous();
        var proto = new TensorProto { Name = name };
        proto.Dims.AddRange(cpu.shape);
        if (cpu.dtype == ScalarType.Float32)
        {
            var values = cpu.data<float>().ToArray();
            proto.DataType = (int)TensorProto.Types.DataType.Float;
            proto.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
            FloatInitializerElements += values.Length;
        }
        else if (cpu.dtype == ScalarType.Int64)
        {
            var values = cpu.data<long>().ToArray();
            proto.DataType = (int)TensorProto.Types.DataType.Int64;
            proto.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        }
        else throw new ArgumentException($"initializers here are float32 or int64, not {cpu.dtype}.", nameof(value));
        graph.Initializer.Add(proto);
        return name;
    }

    /// <summary>A 1-D int64 constant, such as a shape for Reshape or the axes of Unsqueeze.</summary>
    public string Constant(string name, params long[] values) => Initializer(name, tensor(values));

    /// <summary>A scalar (rank 0) int64 constant, such as the start of a Range.</summary>
    public string ScalarConstant(string name, long value) => Initializer(name, tensor(value));

    /// <summary>A scalar (rank 0) float32 constant, such as 1/√d_k.</summary>
    public string ScalarConstant(string name, float value) => Initializer(name, tensor(value));

    /// <summary>Adds a node with one output.</summary>
    /// <param name="opType">The operator, e.g. "MatMul", as the ONNX specification names it.</param>
    /// <param name="inputs">The names of the values it reads, in the operator's order.</param>
    /// <param name="output">The name of the value it writes.</param>
    /// <param name="attributes">The operator's attributes.</param>
    /// <returns><paramref name="output"/>, to pass to later nodes.</returns>
    public string Node(string opType, string[] inputs, string output, params OnnxAttribute[] attributes) =>
        Node(opType, inputs, new[] { output }, attributes)[0];

    /// <summary>Adds a node with several outputs (Split).</summary>
    /// <returns><paramref name="outputs"/>.</returns>
    public string[] Node(string opType, string[] inputs, string[] outputs, params OnnxAttribute[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = $"{opType}_{nodes}" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        foreach (var attribute in attributes) node.Attribute.Add(Attribute(attribute));
        graph.Node.Add(node);
        nodes++;
        operatorCounts[opType] = operatorCounts.GetValueOrDefault(opType) + 1;
        return outputs;
    }

    /// <summary>The model file: a ModelProto holding this graph, importing the default ONNX domain at <paramref name="opset"/>.</summary>
    /// <param name="opset">The operator-set version the nodes follow (LayerNormalization needs 17).</param>
    public byte[] ToBytes(int opset = 17)
    {
        var model = new ModelProto
        {
            IrVersion = 8, // the file format version that goes with opset 17
            ProducerName = "TransformersBook",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return model.ToByteArray();
    }

    /// <summary>Writes <see cref="ToBytes"/> to <paramref name="path"/>.</summary>
    public void Save(string path, int opset = 17) => File.WriteAllBytes(path, ToBytes(opset));

    static AttributeProto Attribute(OnnxAttribute attribute)
    {
        var proto = new AttributeProto { Name = attribute.Name };
        if (attribute.Integer is long integer) (proto.Type, proto.I) = (AttributeProto.Types.AttributeType.Int, integer);
        else if (attribute.Float is float value) (proto.Type, proto.F) = (AttributeProto.Types.AttributeType.Float, value);
        else
        {
            proto.Type = AttributeProto.Types.AttributeType.Ints;
            proto.Ints.AddRange(attribute.Integers!);
        }
        return proto;
    }

    static ValueInfoProto ValueInfo(string name, ScalarType elementType, string[] dimensions)
    {
        var shape = new TensorShapeProto();
        foreach (var dimension in dimensions)
            shape.Dim.Add(long.TryParse(dimension, out long size)
                ? new TensorShapeProto.Types.Dimension { DimValue = size }
                : new TensorShapeProto.Types.Dimension { DimParam = dimension });
        int type = elementType switch
        {
            ScalarType.Float32 => (int)TensorProto.Types.DataType.Float,
            ScalarType.Int64 => (int)TensorProto.Types.DataType.Int64,
            _ => throw new ArgumentException($"graph inputs and outputs here are float32 or int64, not {elementType}.", nameof(elementType)),
        };
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = type, Shape = shape } },
        };
    }
}
