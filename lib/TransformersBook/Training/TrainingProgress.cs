using System.Globalization;
using System.Net;
using System.Text;
using TransformersBook.Display;

namespace TransformersBook.Training;

/// <summary>A snapshot of a training run, shown as a progress bar (HTML) or a progress line (text).</summary>
/// <param name="Step">Updates done.</param>
/// <param name="Steps">Updates planned.</param>
/// <param name="TrainLoss">The latest mean training loss.</param>
/// <param name="EvalLoss">The latest evaluation loss.</param>
/// <param name="LearningRate">The current learning rate.</param>
/// <param name="TokensPerSecond">Throughput since this run started (0 when batches report no tokens).</param>
/// <param name="StepsPerSecond">Updates per second since this run started.</param>
/// <param name="Elapsed">Training time, including resumed runs.</param>
/// <param name="Status">"training", "done", "stopped" or "failed".</param>
public sealed record TrainingProgress(
    int Step, int Steps, double? TrainLoss, double? EvalLoss, double LearningRate, double TokensPerSecond,
    double StepsPerSecond, TimeSpan Elapsed, string Status)
{
    public double Fraction => Steps == 0 ? 1 : Math.Clamp((double)Step / Steps, 0, 1);

    /// <summary>Estimated time to the last step, from the rate so far.</summary>
    public TimeSpan? Remaining => StepsPerSecond > 0 && Step < Steps ? TimeSpan.FromSeconds((Steps - Step) / StepsPerSecond) : null;

    string Details()
    {
        var parts = new List<string> { $"step {Step}/{Steps}" };
        if (TrainLoss is { } loss) parts.Add($"loss {NumberText.Format(loss)}");
        if (EvalLoss is { } eval) parts.Add($"eval {NumberText.Format(eval)}");
        parts.Add($"lr {LearningRate.ToString("0.##e+0", CultureInfo.InvariantCulture)}");
        parts.Add(TokensPerSecond > 0 ? $"{NumberText.Rate(TokensPerSecond)} tokens/s" : $"{StepsPerSecond.ToString("0.#", CultureInfo.InvariantCulture)} steps/s");
        parts.Add($"elapsed {NumberText.Duration(Elapsed)}");
        if (Status == "training" && Remaining is { } eta) parts.Add($"ETA {NumberText.Duration(eta)}");
        if (Status != "training") parts.Add(Status);
        return string.Join(" · ", parts);
    }

    /// <summary>A one-line bar: [#######.............]  35% step 350/1000 · loss ...</summary>
    public string ToPlainText()
    {
        const int width = 24;
        int filled = (int)Math.Round(Fraction * width);
        return FormattableString.Invariant($"[{new string('#', filled)}{new string('.', width - filled)}] {Fraction * 100,3:0}% {Details()}");
    }

    public string ToHtml()
    {
        string color = Status switch { "failed" => "#dc2626", "stopped" => "#d97706", "done" => "#16a34a", _ => "#2563eb" };
        var html = new StringBuilder();
        html.Append("<div class=\"book-progress\" style=\"font-family:system-ui,sans-serif;font-size:13px;max-width:720px\">");
        html.Append("<div style=\"background:#e5e7eb;border-radius:4px;height:10px;overflow:hidden\">");
        html.Append(CultureInfo.InvariantCulture, $"<div style=\"width:{Fraction * 100:0.#}%;background:{color};height:10px\"></div></div>");
        html.Append("<div style=\"margin-top:4px;color:#374151\">").Append(WebUtility.HtmlEncode(Details())).Append("</div></div>");
        return html.ToString();
    }

    public override string ToString() => ToPlainText();
}
