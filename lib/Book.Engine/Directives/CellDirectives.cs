using System.Text.RegularExpressions;

namespace Book.Engine.Directives;

/// <summary>A pinned NuGet package a cell asks for with <c>#r "nuget: Name, Version"</c>.</summary>
public sealed record PackageReference(string Id, string Version)
{
    public override string ToString() => $"{Id} {Version}";
}

/// <summary>
/// A cell split into the directives the engine handles and the C# that Roslyn compiles. Directive lines are
/// replaced by empty lines, so line numbers in compiler and runtime errors still match the cell the reader sees.
/// </summary>
public sealed record CellDirectives(string Code, IReadOnlyList<PackageReference> Packages, IReadOnlyList<string> AssemblyPaths)
{
    // The subset of Polyglot Notebooks' C# kernel the book relies on; everything else is refused by name.
    static readonly Regex ReferenceLine = new(@"^\s*#r\s+""(?<arg>[^""]*)""\s*(//.*)?$", RegexOptions.Compiled);
    static readonly Regex NuGetArgument = new(@"^\s*nuget\s*:\s*(?<id>[A-Za-z0-9_.\-]+)\s*(,\s*(?<version>[^,\s]+)\s*)?$", RegexOptions.Compiled | RegexOptions.IgnoreCase);

    /// <summary>Parses a cell, throwing <see cref="DirectiveException"/> for anything outside the supported subset.</summary>
    public static CellDirectives Parse(string source, CellLocation location)
    {
        var lines = source.Replace("\r\n", "\n").Split('\n');
        var packages = new List<PackageReference>();
        var assemblies = new List<string>();
        bool seenCode = false;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            string trimmed = line.TrimStart();
            int lineNumber = i + 1;
            if (trimmed.StartsWith("#!", StringComparison.Ordinal))
            {
                string magic = trimmed.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries)[0];
                if (magic is "#!csharp" or "#!c#" or "#!C#" && !seenCode)
                {
                    lines[i] = "";
                    continue;
                }
                throw new DirectiveException(location, lineNumber, magic is "#!csharp" or "#!c#" or "#!C#"
                    ? $"{magic} must be the first line of a cell."
                    : $"the magic command {magic} is not supported: the book's cells are C# only and use just #r \"nuget: Name, Version\", #r \"path.dll\" and #!csharp, so they run the same in the book's kernel, the headless runner and Polyglot Notebooks.");
            }
            if (trimmed.StartsWith("#r", StringComparison.Ordinal) && (trimmed.Length == 2 || char.IsWhiteSpace(trimmed[2])))
            {
                var match = ReferenceLine.Match(line);
                if (!match.Success)
                    throw new DirectiveException(location, lineNumber, $"cannot read the directive '{trimmed}': write #r \"nuget: Name, Version\" or #r \"relative/path.dll\".");
                string arg = match.Groups["arg"].Value.Trim();
                if (arg.StartsWith("nuget", StringComparison.OrdinalIgnoreCase) && arg.Contains(':'))
                {
                    var nuget = NuGetArgument.Match(arg);
                    if (!nuget.Success)
                        throw new DirectiveException(location, lineNumber, $"cannot read the package reference '{arg}': write \"nuget: Name, Version\".");
                    if (!nuget.Groups["version"].Success)
                        throw new DirectiveException(location, lineNumber, $"the package {nuget.Groups["id"].Value} has no version: the book pins every package (\"nuget: {nuget.Groups["id"].Value}, 1.2.3\") so chapters do not rot.");
                    packages.Add(new PackageReference(nuget.Groups["id"].Value, nuget.Groups["version"].Value));
                }
                else if (arg.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
                {
                    assemblies.Add(arg);
                }
                else
                {
                    throw new DirectiveException(location, lineNumber, $"#r \"{arg}\" is not supported: reference a package as \"nuget: Name, Version\" or an assembly by its path ending in .dll.");
                }
                lines[i] = "";
                continue;
            }
            foreach (var other in new[] { "#i", "#load" })
            {
                if (trimmed.StartsWith(other, StringComparison.Ordinal) && (trimmed.Length == other.Length || char.IsWhiteSpace(trimmed[other.Length])))
                    throw new DirectiveException(location, lineNumber, other == "#i"
                        ? "#i (package sources) is not supported: the book restores from the configured NuGet sources only."
                        : "#load is not supported: Polyglot does not restore #r \"nuget:\" inside loaded scripts, so chapters reference the book's library with #r \"path.dll\" instead.");
            }
            if (trimmed.Length > 0 && !trimmed.StartsWith("//", StringComparison.Ordinal)) seenCode = true;
        }
        return new CellDirectives(string.Join("\n", lines), packages, assemblies);
    }
}

/// <summary>A directive outside the supported subset, or malformed; the message names notebook, cell and line.</summary>
public sealed class DirectiveException(CellLocation location, int line, string problem)
    : Exception($"{location.Describe(line)}: {problem}")
{
    public int Line { get; } = line;
}
