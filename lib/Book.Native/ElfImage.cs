using System.Buffers.Binary;
using System.Text;

namespace Book.Native;

/// <summary>
/// Just enough of a 64-bit little-endian ELF shared object to reason about symbol versioning:
/// sections, the dynamic symbol table, version needs/definitions and relocations.
/// Offsets follow the System V gABI and the GNU symbol-versioning extension (glibc's elf.h).
/// </summary>
public sealed class ElfImage
{
    const uint ShtRela = 4, ShtDynsym = 11, ShtRel = 9;
    const uint ShtGnuVerdef = 0x6ffffffd, ShtGnuVerneed = 0x6ffffffe, ShtGnuVersym = 0x6fffffff;

    /// <summary>VER_FLG_WEAK: a missing version is then a warning for the dynamic loader, not an error.</summary>
    public const ushort VerFlagWeak = 0x2;

    readonly byte[] bytes;
    readonly List<Section> sections = new();

    public sealed record Section(int Index, uint Type, ulong Offset, ulong Size, uint Link, uint Info, ulong EntrySize);

    /// <summary>One version a library needs from another (an Elf64_Vernaux entry), with where its flags live in the file.</summary>
    public sealed record VersionNeed(string File, string Version, ushort Index, ushort Flags, long FlagsOffset);

    public sealed record DynamicSymbol(int Index, string Name, ushort VersionIndex, bool IsDefined);

    public ElfImage(byte[] bytes, string description)
    {
        this.bytes = bytes;
        Description = description;
        if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
            throw new InvalidDataException($"{description} is not an ELF file.");
        if (bytes[4] != 2 || bytes[5] != 1)
            throw new InvalidDataException($"{description} is not a 64-bit little-endian ELF file.");
        ulong shoff = U64(0x28);
        ushort shentsize = U16(0x3a), shnum = U16(0x3c);
        if (shoff == 0 || shentsize < 64 || shoff + (ulong)shnum * shentsize > (ulong)bytes.Length)
            throw new InvalidDataException($"{description} has no readable section header table.");
        for (int i = 0; i < shnum; i++)
        {
            long at = (long)shoff + (long)i * shentsize;
            sections.Add(new Section(i, U32(at + 4), U64(at + 24), U64(at + 32), U32(at + 40), U32(at + 44), U64(at + 56)));
        }
    }

    public static ElfImage Load(string path) => new(File.ReadAllBytes(path), path);

    public string Description { get; }

    public byte[] Bytes => bytes;

    public IReadOnlyList<Section> Sections => sections;

    /// <summary>Versions this object needs from other shared objects (.gnu.version_r).</summary>
    public IReadOnlyList<VersionNeed> VersionNeeds()
    {
        var result = new List<VersionNeed>();
        foreach (var s in sections.Where(s => s.Type == ShtGnuVerneed))
        {
            var strings = sections[(int)s.Link];
            long entry = (long)s.Offset;
            for (uint n = 0; n < s.Info; n++)
            {
                ushort count = U16(entry + 2);
                string file = CString(strings, U32(entry + 4));
                long aux = entry + U32(entry + 8);
                for (int a = 0; a < count; a++)
                {
                    result.Add(new VersionNeed(file, CString(strings, U32(aux + 8)), U16(aux + 6), U16(aux + 4), aux + 4));
                    uint nextAux = U32(aux + 12);
                    if (nextAux == 0) break;
                    aux += nextAux;
                }
                uint next = U32(entry + 12);
                if (next == 0) break;
                entry += next;
            }
        }
        return result;
    }

    /// <summary>Versions this object defines (.gnu.version_d), e.g. GLIBCXX_3.4.30 in libstdc++.</summary>
    public IReadOnlyList<string> VersionDefinitions()
    {
        var result = new List<string>();
        foreach (var s in sections.Where(s => s.Type == ShtGnuVerdef))
        {
            var strings = sections[(int)s.Link];
            long entry = (long)s.Offset;
            for (uint n = 0; n < s.Info; n++)
            {
                // The first Verdaux names the version itself; later ones name its predecessors.
                long aux = entry + U32(entry + 12);
                result.Add(CString(strings, U32(aux)));
                uint next = U32(entry + 16);
                if (next == 0) break;
                entry += next;
            }
        }
        return result;
    }

    /// <summary>The dynamic symbol table with each symbol's version index (.dynsym + .gnu.version).</summary>
    public IReadOnlyList<DynamicSymbol> DynamicSymbols()
    {
        var dynsym = sections.FirstOrDefault(s => s.Type == ShtDynsym);
        if (dynsym is null) return Array.Empty<DynamicSymbol>();
        var versym = sections.FirstOrDefault(s => s.Type == ShtGnuVersym);
        var strings = sections[(int)dynsym.Link];
        int count = (int)(dynsym.Size / 24);
        var result = new List<DynamicSymbol>(count);
        for (int i = 0; i < count; i++)
        {
            long at = (long)dynsym.Offset + i * 24L;
            ushort version = versym is null ? (ushort)1 : (ushort)(U16((long)versym.Offset + i * 2L) & 0x7fff);
            result.Add(new DynamicSymbol(i, CString(strings, U32(at)), version, U16(at + 6) != 0));
        }
        return result;
    }

    /// <summary>Indices into .dynsym of every symbol some relocation refers to (REL and RELA sections linked to .dynsym).</summary>
    public IReadOnlySet<int> RelocatedSymbolIndices()
    {
        var dynsym = sections.FirstOrDefault(s => s.Type == ShtDynsym);
        var used = new HashSet<int>();
        if (dynsym is null) return used;
        foreach (var s in sections.Where(s => (s.Type == ShtRela || s.Type == ShtRel) && s.Link == dynsym.Index))
        {
            int size = s.Type == ShtRela ? 24 : 16;
            for (long at = (long)s.Offset; at + size <= (long)(s.Offset + s.Size); at += size)
                used.Add((int)(U64(at + 8) >> 32));
        }
        used.Remove(0);
        return used;
    }

    string CString(Section strings, uint offset)
    {
        long start = (long)strings.Offset + offset;
        long end = start;
        while (end < bytes.Length && bytes[end] != 0) end++;
        return Encoding.ASCII.GetString(bytes, (int)start, (int)(end - start));
    }

    ushort U16(long at) => BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan((int)at, 2));
    uint U32(long at) => BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)at, 4));
    ulong U64(long at) => BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan((int)at, 8));
}
