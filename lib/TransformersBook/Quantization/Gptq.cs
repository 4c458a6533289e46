using static TorchSharp.torch;

namespace TransformersBook.Quantization;

/// <summary>
/// GPTQ (Frantar et al., 2022): quantizes a linear layer's weights one input column at a time and, after each
/// column, moves its rounding error onto the columns not yet quantized so that the layer's output on calibration
/// inputs X changes as little as possible. The objective ‖WX − ŴX‖² has Hessian H = 2XXᵀ for every row; with
/// U the upper Cholesky factor of H⁻¹ (H⁻¹ = UᵀU), quantizing column i with error e = (wᵢ − q(wᵢ)) / U_ii updates the
/// remaining columns by W_{:, j} −= e · U_ij for j &gt; i — the optimal brain surgeon update of Frantar et al.'s
/// earlier OBQ, in the fixed column order that makes H⁻¹ shared by all rows. The grid is the zero-point grid of
/// <see cref="GroupQuantizer"/>, per row or per group, fixed from the weights as they are when the group starts.
/// </summary>
public static class Gptq
{
    /// <summary>H = 2XᵀX / n from calibration inputs: the layer's inputs, (…, in) with n rows in all.</summary>
    /// <param name="inputs">What the layer reads, any leading shape, last dimension its input width.</param>
    public static Tensor Hessian(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        using var scope = NewDisposeScope();
        var x = inputs.reshape(-1, inputs.shape[^1]).to_type(ScalarType.Float64);
        return (2.0 * x.t().matmul(x) / x.shape[0]).MoveToOuterDisposeScope();
    }

    /// <summary>GPTQ-quantized weights (dequantized, the dtype and shape of <paramref name="weight"/>).</summary>
    /// <param name="weight">(out, in) weights of the layer.</param>
    /// <param name="hessian">(in, in) H = 2XXᵀ of the calibration inputs (<see cref="Hessian"/>).</param>
    /// <param name="bits">Bits per code.</param>
    /// <param name="groupSize">Columns per group, or null for one grid per row.</param>
    /// <param name="dampening">λ as a fraction of the mean diagonal of H, added to the diagonal before inverting (the paper's 1 %).</param>
    public static Tensor Quantize(Tensor weight, Tensor hessian, int bits, int? groupSize = null, double dampening = 0.01)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(hessian);
        long rows = weight.shape[0], columns = weight.shape[1];
        if (groupSize is int g && (g <= 0 || columns % g != 0))
            throw new ArgumentException($"{columns} input columns do not split into groups of {g}.", nameof(groupSize));
        using var scope = NewDisposeScope();
        var w = weight.to_type(ScalarType.Float64).clone();
        var h = hessian.to_type(ScalarType.Float64).clone();
        // An input that is always 0 leaves its column unconstrained: give it H_ii = 1 and weight 0.
        var dead = h.diagonal() == 0;
        if (dead.any().item<bool>())
        {
            h = h + diag(dead.to_type(ScalarType.Float64));
            w = w.masked_fill(dead.unsqueeze(0), 0.0);
        }
        h = h + dampening * h.diagonal().mean() * eye(columns, dtype: ScalarType.Float64, device: h.device);
        var upper = linalg.cholesky(linalg.inv(h)).t();               // H⁻¹ = UᵀU, U upper triangular
        var quantized = zeros_like(w);
        Tensor scale = empty(0), zero = empty(0);
        for (long i = 0; i < columns; i++)
        {
            using var step = NewDisposeScope();
            if (i == 0 || (groupSize is int size && i % size == 0))
            {
                var span = w.narrow(1, i, groupSize ?? columns);
                var (s, z) = ZeroPointQuantizer.Grid(span.amin(new long[] { 1 }).clamp_max(0), span.amax(new long[] { 1 }).clamp_min(0), bits);
                scale.Dispose(); zero.Dispose();
                scale = s.MoveToOuterDisposeScope(); zero = z.MoveToOuterDisposeScope();
            }
            var column = w.select(1, i);
            var q = (ZeroPointQuantizer.Codes(column, scale, zero, bits) - zero) * scale;
            quantized.select(1, i).copy_(q);
            if (i + 1 < columns)
            {
                var error = (column - q) / upper[i, i];
                w.narrow(1, i + 1, columns - i - 1).sub_(error.unsqueeze(1) * upper[i].narrow(0, i + 1, columns - i - 1).unsqueeze(0));
            }
        }
        scale.Dispose(); zero.Dispose();
        return quantized.to_type(weight.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>‖WX − ŴX‖² / n over calibration inputs, the quantity GPTQ minimises: the mean squared change of the layer's output per input row.</summary>
    /// <param name="weight">(out, in) original weights.</param>
    /// <param name="quantized">(out, in) quantized weights.</param>
    /// <param name="inputs">(…, in) calibration inputs.</param>
    public static double OutputError(Tensor weight, Tensor quantized, Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(quantized);
        ArgumentNullException.ThrowIfNull(inputs);
        using var scope = NewDisposeScope();
        var x = inputs.reshape(-1, inputs.shape[^1]).to_type(ScalarType.Float64);
        var difference = x.matmul((weight - quantized).to_type(ScalarType.Float64).t());
        return difference.pow(2).sum().item<double>() / x.shape[0];
    }
}
