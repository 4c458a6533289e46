using System.Buffers.Binary;

namespace Book.Native;

/// <summary>
/// The plan for making a shared object load against an older dependency: the versions it needs that the
/// dependency lacks, and whether marking them VER_FLG_WEAK is safe. It is safe only when no relocation refers to
/// a symbol of a missing version, so the dynamic loader never has to bind one (for LibTorchSharp 0.107 the only
/// such symbol is std::ios_base_library_init, a link anchor GCC 13 emits from &lt;iostream&gt;).
/// </summary>
public sealed record MissingVersionPatch(
    string LibraryPath,
    string DependencySoname,
    IReadOnlyList<ElfImage.VersionNeed> Missing,
    IReadOnlyList<string> SymbolsOfMissingVersions,
    IReadOnlyList<string> RelocatedSymbolsOfMissingVersions)
{
    public bool IsNeeded => Missing.Count > 0;

    public bool IsSafe => RelocatedSymbolsOfMissingVersions.Count == 0;

    /// <summary>Compares what <paramref name="library"/> needs from <paramref name="dependencySoname"/> with what the installed one defines.</summary>
    public static MissingVersionPatch Plan(ElfImage library, string dependencySoname, IEnumerable<string> versionsProvided)
    {
        var provided = versionsProvided.ToHashSet(StringComparer.Ordinal);
        var missing = library.VersionNeeds()
            .Where(n => n.File == dependencySoname && !provided.Contains(n.Version))
            .ToList();
        var missingIndices = missing.Select(m => m.Index).ToHashSet();
        var symbols = library.DynamicSymbols().Where(s => missingIndices.Contains(s.VersionIndex)).ToList();
        var relocated = library.RelocatedSymbolIndices();
        return new MissingVersionPatch(
            library.Description,
            dependencySoname,
            missing,
            symbols.Select(s => s.Name).ToList(),
            symbols.Where(s => relocated.Contains(s.Index)).Select(s => s.Name).ToList());
    }

    /// <summary>A copy of the library's bytes with each missing version's vna_flags marked weak.</summary>
    public byte[] Apply(ElfImage library)
    {
        if (!IsSafe)
            throw new InvalidOperationException(
                $"{LibraryPath}: cannot mark {string.Join(", ", Missing.Select(m => m.Version))} weak: relocations use " +
                $"{string.Join(", ", RelocatedSymbolsOfMissingVersions)}, so the library needs a newer {DependencySoname}.");
        var copy = (byte[])library.Bytes.Clone();
        foreach (var need in Missing)
        {
            var span = copy.AsSpan((int)need.FlagsOffset, 2);
            BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)(need.Flags | ElfImage.VerFlagWeak));
        }
        return copy;
    }

    public string Describe() =>
        $"{Path.GetFileName(LibraryPath)} needs {string.Join(", ", Missing.Select(m => m.Version))} from {DependencySoname}, " +
        $"which this system's lacks; no relocation uses {(SymbolsOfMissingVersions.Count == 0 ? "a symbol of it" : string.Join(", ", SymbolsOfMissingVersions))}";
}
