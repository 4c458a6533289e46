using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Adaptation;

/// <summary>
/// The bottleneck adapter of Houlsby et al. (2019): h + W_up GELU(W_down h + b_down) + b_up, inserted after a sublayer's
/// output and before the residual sum. The down projection maps the width d to a small bottleneck m and the up projection
/// back, 2dm + m + d parameters. The up projection starts at zero, so a new adapter is the identity.
/// </summary>
public sealed class BottleneckAdapter : nn.Module<Tensor, Tensor>
{
    readonly Linear down;
    readonly Linear up;

    /// <param name="width">d, the width of the sublayer output.</param>
    /// <param name="bottleneck">m, the adapter's hidden width.</param>
    public BottleneckAdapter(int width, int bottleneck) : base(nameof(BottleneckAdapter))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bottleneck, 1);
        down = nn.Linear(width, bottleneck);
        up = nn.Linear(bottleneck, width);
        using (no_grad())
        {
            nn.init.zeros_(up.weight!);
            nn.init.zeros_(up.bias!);
        }
        RegisterComponents();
    }

    /// <summary>Parameters of the adapter, 2dm + m + d.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <param name="h">(…, d)</param>
    public override Tensor forward(Tensor h)
    {
        using var scope = NewDisposeScope();
        return (h + up.forward(nn.functional.gelu(down.forward(h)))).MoveToOuterDisposeScope();
    }
}
