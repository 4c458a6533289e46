using System.Net;
using System.Text;
using TorchSharp;

namespace TransformersBook.Display;

/// <summary>
/// How a tensor looks in a notebook: its shape, dtype and device first (the things a shape bug is about), a few
/// statistics, an inline heat map for a 2-D floating-point or boolean tensor (a mask) up to 64×64, and a preview of
/// the values.
/// Formatting never changes the tensor, never records autograd history, and frees what it allocates.
/// </summary>
public static class TensorFormatter
{
    /// <summary>The largest matrix drawn as a heat map.</summary>
    public const int HeatMapLimit = 64;

    const long StatisticsLimit = 10_000_000;

    /// <summary>"[2, 3] float32 cpu": shape, dtype and device.</summary>
    public static string Describe(torch.Tensor tensor) =>
        $"[{string.Join(", ", tensor.shape)}] {DTypeName(tensor.dtype)} {tensor.device}{(tensor.requires_grad ? " requires_grad" : "")}";

    /// <summary>The text/plain form: the description, then TorchSharp's summarised values.</summary>
    public static string ToPlainText(torch.Tensor tensor)
    {
        if (tensor.IsInvalid) return "tensor (disposed)";
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        return $"tensor {Describe(tensor)}\n{Values(tensor)}";
    }

    /// <summary>The text/html form.</summary>
    public static string ToHtml(torch.Tensor tensor)
    {
        if (tensor.IsInvalid) return "<div class=\"book-tensor\"><code>tensor (disposed)</code></div>";
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var html = new StringBuilder();
        html.Append("<div class=\"book-tensor\" style=\"font-family:system-ui,sans-serif;font-size:13px\">");
        html.Append("<div><b>tensor</b> · shape <code>[").Append(string.Join(", ", tensor.shape)).Append("]</code> · <code>")
            .Append(DTypeName(tensor.dtype)).Append("</code> · <code>").Append(WebUtility.HtmlEncode(tensor.device.ToString())).Append("</code>");
        if (tensor.requires_grad) html.Append(" · requires_grad");
        html.Append("</div>");
        if (IsFloating(tensor.dtype) && tensor.numel() > 0 && tensor.numel() <= StatisticsLimit)
        {
            var values = tensor.detach().to_type(torch.ScalarType.Float64);
            double min = values.min().item<double>(), max = values.max().item<double>(), mean = values.mean().item<double>();
            html.Append("<div style=\"color:#4b5563\">min ").Append(NumberText.Format(min)).Append(" · max ").Append(NumberText.Format(max))
                .Append(" · mean ").Append(NumberText.Format(mean)).Append("</div>");
        }
        if (tensor.dim() == 2 && (IsFloating(tensor.dtype) || tensor.dtype == torch.ScalarType.Bool) && tensor.shape[0] is > 0 and <= HeatMapLimit && tensor.shape[1] is > 0 and <= HeatMapLimit)
        {
            var flat = tensor.detach().cpu().to_type(torch.ScalarType.Float64).contiguous().data<double>().ToArray();
            html.Append("<div style=\"margin:4px 0\">").Append(HeatMapSvg.Render(flat, (int)tensor.shape[0], (int)tensor.shape[1])).Append("</div>");
        }
        html.Append("<pre style=\"margin:4px 0;font-size:12px\">").Append(WebUtility.HtmlEncode(Values(tensor))).Append("</pre></div>");
        return html.ToString();
    }

    static string Values(torch.Tensor tensor)
    {
        var cpu = tensor.detach().cpu();
        // TorchSharp's numpy style summarises large tensors (leading and trailing rows) like PyTorch's printing.
        return cpu.ToString(TensorStringStyle.Numpy, fltFormat: "g4", cultureInfo: System.Globalization.CultureInfo.InvariantCulture, newLine: "\n").Trim();
    }

    /// <summary>PyTorch's names: float32, int64, bool.</summary>
    public static string DTypeName(torch.ScalarType dtype) => dtype switch
    {
        torch.ScalarType.Float32 => "float32",
        torch.ScalarType.Float64 => "float64",
        torch.ScalarType.Float16 => "float16",
        torch.ScalarType.BFloat16 => "bfloat16",
        torch.ScalarType.Int64 => "int64",
        torch.ScalarType.Int32 => "int32",
        torch.ScalarType.Int16 => "int16",
        torch.ScalarType.Int8 => "int8",
        torch.ScalarType.Byte => "uint8",
        torch.ScalarType.Bool => "bool",
        torch.ScalarType.ComplexFloat32 => "complex64",
        torch.ScalarType.ComplexFloat64 => "complex128",
        _ => dtype.ToString().ToLowerInvariant(),
    };

    static bool IsFloating(torch.ScalarType dtype) =>
        dtype is torch.ScalarType.Float32 or torch.ScalarType.Float64 or torch.ScalarType.Float16 or torch.ScalarType.BFloat16;
}
