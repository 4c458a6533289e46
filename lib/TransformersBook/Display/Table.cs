using System.Net;
using System.Reflection;
using System.Text;

namespace TransformersBook.Display;

/// <summary>
/// A results table (rows × named columns), shown as an HTML table in notebooks and as aligned text in plain output.
/// Every chapter ends with one. Numbers are written with <see cref="NumberText"/>.
/// </summary>
public sealed class Table
{
    readonly List<object?[]> rows = new();

    /// <summary>A table with these columns.</summary>
    public Table(params string[] columns) : this((IEnumerable<string>)columns)
    {
    }

    /// <summary>A table with these columns and an optional caption.</summary>
    public Table(IEnumerable<string> columns, string? title = null)
    {
        Columns = columns.ToArray();
        if (Columns.Count == 0) throw new ArgumentException("A table needs at least one column.", nameof(columns));
        Title = title;
    }

    /// <summary>The caption shown above the table.</summary>
    public string? Title { get; set; }

    public IReadOnlyList<string> Columns { get; }

    public IReadOnlyList<IReadOnlyList<object?>> Rows => rows;

    /// <summary>Adds a row with one value per column; returns the table, so rows can be chained.</summary>
    public Table AddRow(params object?[] cells)
    {
        if (cells.Length != Columns.Count)
            throw new ArgumentException($"The table has {Columns.Count} columns ({string.Join(", ", Columns)}) but the row has {cells.Length} values.", nameof(cells));
        rows.Add(cells);
        return this;
    }

    /// <summary>A table of items, one row each, with their public properties as columns (records work well).</summary>
    public static Table From<T>(IEnumerable<T> items, string? title = null)
    {
        var properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0).ToArray();
        var table = new Table(properties.Select(p => p.Name), title);
        foreach (var item in items) table.AddRow(properties.Select(p => p.GetValue(item)).ToArray());
        return table;
    }

    /// <summary>The values of one column.</summary>
    public IEnumerable<object?> Column(string name)
    {
        int index = Columns.ToList().IndexOf(name);
        if (index < 0) throw new ArgumentException($"No column '{name}'; the columns are {string.Join(", ", Columns)}.", nameof(name));
        return rows.Select(r => r[index]);
    }

    public string ToHtml()
    {
        var html = new StringBuilder();
        html.Append("<table class=\"book-table\" style=\"border-collapse:collapse;font-family:system-ui,sans-serif;font-size:13px\">");
        if (Title is not null) html.Append("<caption style=\"text-align:left;font-weight:600;padding:4px 0\">").Append(WebUtility.HtmlEncode(Title)).Append("</caption>");
        html.Append("<thead><tr>");
        foreach (var c in Columns)
            html.Append("<th style=\"text-align:left;border-bottom:2px solid #9ca3af;padding:4px 10px\">").Append(WebUtility.HtmlEncode(c)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (var cell in row)
            {
                string align = IsNumber(cell) ? "right" : "left";
                html.Append("<td style=\"text-align:").Append(align).Append(";border-bottom:1px solid #e5e7eb;padding:4px 10px\">")
                    .Append(WebUtility.HtmlEncode(NumberText.Cell(cell))).Append("</td>");
            }
            html.Append("</tr>");
        }
        html.Append("</tbody></table>");
        return html.ToString();
    }

    public string ToPlainText()
    {
        var cells = rows.Select(r => r.Select(NumberText.Cell).ToArray()).ToList();
        var widths = Columns.Select((c, i) => Math.Max(c.Length, cells.Select(r => r[i].Length).DefaultIfEmpty(0).Max())).ToArray();
        var text = new StringBuilder();
        if (Title is not null) text.AppendLine(Title);
        text.AppendLine(string.Join("  ", Columns.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        text.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        for (int r = 0; r < cells.Count; r++)
        {
            text.AppendLine(string.Join("  ", cells[r].Select((c, i) => IsNumber(rows[r][i]) ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd());
        }
        return text.ToString().TrimEnd();
    }

    public override string ToString() => ToPlainText();

    static bool IsNumber(object? value) => value is double or float or decimal or int or long or short or byte or uint or ulong;
}
