namespace Book.Site.Tests;

public sealed class MarkdownCellRendererTests
{
    private readonly MarkdownCellRenderer _renderer = new();

    [Fact]
    public void Double_dollar_math_inside_a_paragraph_is_marked_for_display_mode()
    {
        var rendered = _renderer.Render("The score is $$s = q^\\top k$$ for each pair, and $d_k$ is the width.", new AnchorIds());

        Assert.Contains("math-display", rendered.Html);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(rendered.Html, "math-display"));
    }

    [Fact]
    public void Display_math_over_several_lines_keeps_its_braces()
    {
        var rendered = _renderer.Render("The attention is\n$$\n\\mathrm{softmax}\\left(\\frac{QK^\\top}{\\sqrt{d_k}}\\right) V\n$$\nfor each head.", new AnchorIds());

        // A $$ fence touching the sentence around it becomes a math block, braces intact.
        Assert.Contains("<div class=\"math\">", rendered.Html);
        Assert.Contains("\\frac{QK^\\top}{\\sqrt{d_k}}", rendered.Html);

        // $$…$$ broken over lines inside a sentence stays one display equation.
        var inline = _renderer.Render("so that $$\\sum_{i} w_{i} =\n1$$ for every row.", new AnchorIds());
        Assert.Contains("math-display", inline.Html);
        Assert.Contains("\\sum_{i} w_{i} = 1", inline.Html);
    }

    [Fact]
    public void Headings_repeated_across_cells_get_distinct_ids()
    {
        var anchors = new AnchorIds();

        var first = _renderer.Render("## Summary\n\nOne.", anchors);
        var second = _renderer.Render("## Summary\n\nTwo.", anchors);

        Assert.Contains("<h2 id=\"summary\">Summary</h2>", first.Html);
        Assert.Contains("<h2 id=\"summary-1\">Summary</h2>", second.Html);
        Assert.Equal("summary-1", second.Sections.Single().Heading!.Id);
    }

    [Fact]
    public void Sections_split_at_headings_and_keep_text_before_the_first()
    {
        var rendered = _renderer.Render("Lead-in with $x^2$.\n\n## Part *one*\n\nBody `code`.\n\n```csharp\nvar x = 1;\n```", new AnchorIds());

        Assert.Collection(
            rendered.Sections,
            lead => Assert.Equal((null, "Lead-in with x^2."), (lead.Heading, lead.Text)),
            part =>
            {
                Assert.Equal(new PageHeading(2, "part-one", "Part one"), part.Heading);
                Assert.Equal("Body code. var x = 1;", part.Text);
            });
    }

    [Fact]
    public void Remote_links_and_anchors_are_left_as_written()
    {
        var html = _renderer.Render("[site](https://example.org/x.ipynb) [here](#top) [abs](/x.ipynb)", new AnchorIds()).Html;

        Assert.Contains("href=\"https://example.org/x.ipynb\"", html);
        Assert.Contains("href=\"#top\"", html);
        Assert.Contains("href=\"/x.ipynb\"", html);
    }

    [Fact]
    public void Markdown_in_outputs_has_no_heading_ids()
    {
        Assert.Equal("<h2>Result</h2>\n", _renderer.RenderOutput("## Result"));
    }
}
