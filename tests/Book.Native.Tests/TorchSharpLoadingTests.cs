using System.Diagnostics;
using Xunit;

namespace Book.Native.Tests;

/// <summary>In a compiled host, TryInstall before the first torch call makes TorchSharp work on this system.</summary>
[Collection(BookCacheVariable.Name)]
public class TorchSharpLoadingTests
{
    [Fact]
    public void TorchSharp_trains_after_the_resolver_is_installed()
    {
        var location = TorchSharpNativeResolver.TryInstall(typeof(TorchSharp.torch).Assembly);
        Assert.NotNull(location);
        Assert.True(File.Exists(Path.Combine(location!.LibTorchDirectory, "libtorch_cpu.so")));

        TorchSharp.torch.manual_seed(1);
        var x = TorchSharp.torch.randn(64, 3);
        var y = x.sum(1, keepdim: true);
        var model = TorchSharp.torch.nn.Linear(3, 1);
        var optimizer = TorchSharp.torch.optim.AdamW(model.parameters(), lr: 0.05);
        float first = 0, last = 0;
        for (int step = 0; step < 300; step++)
        {
            using var scope = TorchSharp.torch.NewDisposeScope();
            optimizer.zero_grad();
            var loss = TorchSharp.torch.nn.functional.mse_loss(model.forward(x), y);
            loss.backward();
            optimizer.step();
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
        }
        Assert.True(last < first / 50, $"loss {first} -> {last}");
        // A second install is a no-op that returns the first location.
        Assert.Same(location, TorchSharpNativeResolver.TryInstall(typeof(TorchSharp.torch).Assembly));
    }
}
