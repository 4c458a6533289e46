namespace TransformersBook.Data;

/// <summary>What is wrong when the book's data cannot be read.</summary>
public enum DataProblem
{
    /// <summary>The book's data/ folder (package.json, package-lock.json, checksums.json) was not found.</summary>
    SourceNotFound,

    /// <summary>npm is not installed (or not on PATH).</summary>
    NpmMissing,

    /// <summary>npm could not reach the package registry (offline, proxy, firewall).</summary>
    Offline,

    /// <summary>npm ran but failed for another reason.</summary>
    InstallFailed,

    /// <summary>A file the book reads is not in the installed packages.</summary>
    FileMissing,

    /// <summary>A file's SHA-256 differs from data/checksums.json.</summary>
    ChecksumMismatch,

    /// <summary>The package or file is not listed in data/checksums.json, so it cannot be verified.</summary>
    NotVerifiable,

    /// <summary>A program the data is made with (such as the speech synthesiser espeak-ng) is not installed.</summary>
    ProgramMissing,
}
