using TransformersBook.GpuKernels;

namespace TransformersBook.Tests;

/// <summary>The kernels' exp through 2^(x·log2 e) against MathF.Exp, over the range a softmax uses (x ≤ 0).</summary>
public class KernelMathTests
{
    [Fact]
    public void Exp_through_exp2_matches_MathF_Exp()
    {
        for (float x = -87f; x <= 0f; x += 0.37f)
        {
            float expected = MathF.Exp(x);
            Assert.True(MathF.Abs(KernelMath.Exp(x) - expected) <= 1e-5f * expected + 1e-38f, $"x = {x}");
        }
        Assert.Equal(0f, KernelMath.Exp(float.NegativeInfinity));
        Assert.Equal(1f, KernelMath.Exp(0f));
    }
}
