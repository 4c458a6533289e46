using System.IO.Compression;
using System.Reflection;

namespace TransformersBook.Tokenization;

/// <summary>
/// Reads rank tables in tiktoken's format: one line per token, its bytes in base64, a space, its rank. Also reads the
/// compact form the Microsoft.ML.Tokenizers data packages embed: a "Capacity: n" header, then base64 only, the rank
/// being the line's position.
/// </summary>
public static class TiktokenRankFile
{
    /// <summary>The table in a stream of tiktoken-format lines.</summary>
    public static Dictionary<byte[], int> Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var ranks = new Dictionary<byte[], int>();
        using var reader = new StreamReader(stream);
        string? line;
        int next = 0;
        while ((line = reader.ReadLine()) != null)
        {
            if (line.Length == 0 || line.StartsWith("Capacity:", StringComparison.Ordinal)) continue;
            int space = line.IndexOf(' ');
            if (space < 0) ranks.Add(Convert.FromBase64String(line), next++);
            else {
                int rank = int.Parse(line[(space + 1)..]);
                ranks.Add(Convert.FromBase64String(line[..space]), rank);
                next = rank + 1;
            }
        }
        return ranks;
    }

    /// <summary>
    /// The table embedded in a Microsoft.ML.Tokenizers data package (for example "cl100k_base" in
    /// Microsoft.ML.Tokenizers.Data.Cl100kBase), which stores it deflated as the resource "&lt;name&gt;.tiktoken.deflate".
    /// </summary>
    /// <param name="encodingName">cl100k_base, o200k_base, …</param>
    /// <param name="dataAssembly">The data package's assembly; default: loaded by its name.</param>
    public static Dictionary<byte[], int> ReadEmbedded(string encodingName, Assembly? dataAssembly = null)
    {
        dataAssembly ??= Assembly.Load("Microsoft.ML.Tokenizers.Data." + string.Concat(encodingName.Split('_').Select(p => char.ToUpperInvariant(p[0]) + p[1..])));
        var name = encodingName + ".tiktoken.deflate";
        using var compressed = dataAssembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"{dataAssembly.GetName().Name} has no resource {name}.");
        using var inflated = new DeflateStream(compressed, CompressionMode.Decompress);
        return Read(inflated);
    }
}
