namespace Book.Kernel.Tests.Integration;

/// <summary>
/// A test that needs Debian's Jupyter. Without it the test is skipped, except on CI (CI=true),
/// where it runs and fails with <see cref="JupyterTools.MissingMessage"/>.
/// </summary>
public sealed class JupyterFactAttribute : FactAttribute
{
    public JupyterFactAttribute()
    {
        if (!JupyterTools.Installed && !JupyterTools.Required)
            Skip = JupyterTools.MissingMessage + " (Set CI=true to fail instead of skipping.)";
    }
}
