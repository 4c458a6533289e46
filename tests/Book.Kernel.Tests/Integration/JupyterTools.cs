namespace Book.Kernel.Tests.Integration;

/// <summary>
/// Debian's Jupyter (apt: jupyter-client python3-jupyter-client jupyter-nbconvert python3-nbformat).
/// Absolute paths on purpose: `python3` on PATH may be a pyenv shim that cannot import Debian's modules.
/// </summary>
static class JupyterTools
{
    public const string Python = "/usr/bin/python3";
    public const string Jupyter = "/usr/bin/jupyter";

    public static bool Installed => File.Exists(Python) && File.Exists(Jupyter);

    /// <summary>On CI a missing Jupyter is a broken build machine, not a reason to skip.</summary>
    public static bool Required => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public const string MissingMessage =
        $"{Jupyter} or {Python} is missing: install Debian's jupyter-client, python3-jupyter-client, jupyter-nbconvert and python3-nbformat.";
}
