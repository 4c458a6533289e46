namespace TransformersBook.Onnx;

/// <summary>
/// One attribute of an ONNX node: a name and an integer, a float or a list of integers (the kinds the book's graphs
/// need), e.g. <c>axis = -1</c> on Softmax or <c>perm = [0, 2, 1, 3]</c> on Transpose.
/// </summary>
public sealed record OnnxAttribute
{
    OnnxAttribute(string name) => Name = name;

    /// <summary>The attribute's name in the operator's specification.</summary>
    public string Name { get; }

    /// <summary>The value when it is one integer.</summary>
    public long? Integer { get; private init; }

    /// <summary>The value when it is one float.</summary>
    public float? Float { get; private init; }

    /// <summary>The value when it is a list of integers.</summary>
    public IReadOnlyList<long>? Integers { get; private init; }

    /// <summary>An integer attribute.</summary>
    public static OnnxAttribute Of(string name, long value) => new(name) { Integer = value };

    /// <summary>A float attribute.</summary>
    public static OnnxAttribute Of(string name, float value) => new(name) { Float = value };

    /// <summary>A list-of-integers attribute.</summary>
    public static OnnxAttribute Of(string name, params long[] values) => new(name) { Integers = values.ToArray() };
}
