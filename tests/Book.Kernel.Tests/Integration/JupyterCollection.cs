namespace Book.Kernel.Tests.Integration;

[CollectionDefinition(Name)]
public sealed class JupyterCollection : ICollectionFixture<InstalledKernelSpec>
{
    // One collection, so kernels start one at a time: on 2 cores, parallel Roslyn start-ups only push each other toward the time-outs.
    public const string Name = "Jupyter";
}
