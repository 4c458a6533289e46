namespace Book.Site.Tests;

/// <summary>
/// A test that needs Chromium. Without it the test is skipped, with the reason, on a developer's machine; on CI
/// (CI=true) it runs anyway and fails with a message saying what to install, so a missing browser never passes silently.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (!File.Exists(Chromium.ExecutablePath) && !Chromium.IsCi)
        {
            Skip = $"Chromium is not installed at {Chromium.ExecutablePath} (apt-get install chromium, or set CHROMIUM_PATH); browser tests skipped. On CI (CI=true) this is a failure.";
        }
    }
}
