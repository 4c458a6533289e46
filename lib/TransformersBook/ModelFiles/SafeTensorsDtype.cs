using TorchSharp;

namespace TransformersBook.ModelFiles;

/// <summary>
/// The element types the safetensors format names, their sizes in bytes, and the TorchSharp scalar type of each that
/// TorchSharp has. Unsigned types wider than a byte and the 8-bit floats are valid in a file but have no TorchSharp type.
/// </summary>
public static class SafeTensorsDtype
{
    static readonly Dictionary<string, int> Sizes = new(StringComparer.Ordinal)
    {
        ["BOOL"] = 1, ["U8"] = 1, ["I8"] = 1, ["F8_E5M2"] = 1, ["F8_E4M3"] = 1,
        ["I16"] = 2, ["U16"] = 2, ["F16"] = 2, ["BF16"] = 2,
        ["I32"] = 4, ["U32"] = 4, ["F32"] = 4,
        ["I64"] = 8, ["U64"] = 8, ["F64"] = 8,
    };

    static readonly Dictionary<string, torch.ScalarType> ToTorch = new(StringComparer.Ordinal)
    {
        ["BOOL"] = torch.ScalarType.Bool, ["U8"] = torch.ScalarType.Byte, ["I8"] = torch.ScalarType.Int8,
        ["I16"] = torch.ScalarType.Int16, ["F16"] = torch.ScalarType.Float16, ["BF16"] = torch.ScalarType.BFloat16,
        ["I32"] = torch.ScalarType.Int32, ["F32"] = torch.ScalarType.Float32,
        ["I64"] = torch.ScalarType.Int64, ["F64"] = torch.ScalarType.Float64,
    };

    /// <summary>Every dtype name the format defines.</summary>
    public static IReadOnlyCollection<string> Names => Sizes.Keys;

    /// <summary>Whether <paramref name="name"/> is one of the format's dtype names (case-sensitive).</summary>
    /// <param name="name">A dtype name from a header.</param>
    public static bool IsKnown(string name) => Sizes.ContainsKey(name);

    /// <summary>Bytes per element of the dtype <paramref name="name"/>.</summary>
    /// <param name="name">A dtype name the format defines.</param>
    public static int Size(string name) => Sizes.TryGetValue(name, out int size) ? size
        : throw new SafeTensorsFormatException(SafeTensorsRule.UnknownDtype, $"'{name}' is not a safetensors dtype (known: {string.Join(", ", Sizes.Keys)}).");

    /// <summary>The TorchSharp scalar type stored under the dtype <paramref name="name"/>.</summary>
    /// <param name="name">A dtype name the format defines.</param>
    public static torch.ScalarType Torch(string name)
    {
        Size(name);
        return ToTorch.TryGetValue(name, out var type) ? type
            : throw new NotSupportedException($"safetensors dtype {name} is valid but TorchSharp has no scalar type for it.");
    }

    /// <summary>The dtype name under which a tensor of <paramref name="type"/> is stored.</summary>
    /// <param name="type">A TorchSharp scalar type.</param>
    public static string Name(torch.ScalarType type)
    {
        foreach (var (name, scalar) in ToTorch) if (scalar == type) return name;
        throw new NotSupportedException($"TorchSharp scalar type {type} has no safetensors dtype.");
    }
}
