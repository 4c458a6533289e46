using static TorchSharp.torch;

namespace TransformersBook.Convolutions;

/// <summary>
/// Causal convolution of a whole sequence with a filter as long as the sequence, y_t = Σ_{s ≤ t} h_{t−s} u_s, in
/// O(L log L) through the FFT: zero-padding both to 2L turns the FFT's circular convolution into a linear one, whose
/// first L outputs are the causal result. This is how Hyena (Poli et al., 2023) and S4's convolutional mode apply
/// filters of length L without the O(L²) cost of the direct sum.
/// </summary>
public static class LongConvolution
{
    /// <summary>The causal convolution by FFT.</summary>
    /// <param name="input">(…, channels, length) signals u.</param>
    /// <param name="filter">(channels, length) filters h, one per channel, h_0 applied to the current step.</param>
    /// <returns>(…, channels, length)</returns>
    public static Tensor Apply(Tensor input, Tensor filter)
    {
        long length = input.shape[^1];
        if (filter.shape[^1] != length)
            throw new ArgumentException($"the filter has {filter.shape[^1]} taps for a sequence of {length}; give one tap per step.", nameof(filter));
        using var scope = NewDisposeScope();
        long n = 2 * length;
        var spectrum = fft.rfft(input.to_type(ScalarType.Float32), n) * fft.rfft(filter.to_type(ScalarType.Float32), n);
        return fft.irfft(spectrum, n).narrow(-1, 0, length).to_type(input.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>The same sum computed directly, O(L²): the reference the FFT form is checked against.</summary>
    public static Tensor Direct(Tensor input, Tensor filter)
    {
        long length = input.shape[^1];
        using var scope = NewDisposeScope();
        var output = zeros_like(input);
        for (long lag = 0; lag < length; lag++)
        {
            // Every output t ≥ lag gets h_lag · u_{t−lag}.
            var shifted = input.narrow(-1, 0, length - lag) * filter.narrow(-1, lag, 1);
            output.narrow(-1, lag, length - lag).add_(shifted);
        }
        return output.MoveToOuterDisposeScope();
    }
}
