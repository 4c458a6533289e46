namespace TransformersBook.Display;

/// <summary>The MIME types the book's formatters produce.</summary>
public static class MimeTypes
{
    public const string Html = "text/html";
    public const string PlainText = "text/plain";

    /// <summary>Plotly's figure JSON ({data, layout, config}), rendered natively by Jupyter front ends and by the book's site.</summary>
    public const string PlotlyJson = "application/vnd.plotly.v1+json";
}
