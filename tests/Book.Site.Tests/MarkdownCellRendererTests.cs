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

    [Theory]
    // Inline math broken over two source lines (three families, mixture of experts, beyond attention, CLIP).
    [InlineData("a matrix of size $T_{\\text{tgt}} \\times\nT_{\\text{src}}$ per layer", "T_{\\text{tgt}} \\times T_{\\text{src}}")]
    [InlineData("the loss $-\\ln \\frac{e^2}{e^2 + e^0} =\n\\ln(1 + e^{-2}) = 0.1269$.", "-\\ln \\frac{e^2}{e^2 + e^0} = \\ln(1 + e^{-2}) = 0.1269")]
    // Markdig wants a space or punctuation after the closing $; Jupyter does not.
    [InlineData("the $i$th row", "i")]
    [InlineData("costs x$^2$ per step", "^2")]
    // Jupyter allows a space before the closing $ (three families: "$K = V = $ memory").
    [InlineData("attend to the encoder's output, $K = V = $ memory.", "K = V =")]
    public void Inline_math_is_TeX_wherever_Jupyter_reads_it_as_math(string markdown, string tex)
    {
        var html = _renderer.Render(markdown, new AnchorIds()).Html;

        Assert.Contains($"<span class=\"math\">\\({tex}\\)</span>", html);
        Assert.DoesNotContain("<sup>", html);
        Assert.DoesNotContain("<em>", html);
        Assert.DoesNotContain("$", html);
    }

    [Fact]
    public void Superscripts_and_emphasis_inside_math_stay_TeX()
    {
        var html = _renderer.Render("with $W_2^{(i)} \\operatorname{GELU}(W_1^{(i)} x +\nb_1^{(i)})$ and $a_1 * b_2 * c$", new AnchorIds()).Html;

        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(html, "class=\"math\"").Count);
        Assert.DoesNotContain("<sup>", html);
        Assert.DoesNotContain("<em>", html);
        Assert.DoesNotContain("<sub>", html);
    }

    [Theory]
    [InlineData("It costs $5 and $10 a month.")]
    [InlineData("A $ sign alone, and `$\"{x}\"` in code.")]
    [InlineData("Escaped \\$x\\$ stays text.")]
    [InlineData("No math across paragraphs: $a\n\nb$.")]
    public void Dollars_that_are_not_math_stay_text(string markdown)
    {
        var html = _renderer.Render(markdown, new AnchorIds()).Html;

        Assert.DoesNotContain("class=\"math", html);
    }

    [Fact]
    public void Search_text_and_heading_entries_read_math_as_plain_text()
    {
        var rendered = _renderer.Render("## Why $\\sqrt{d_k}$?\n\nScores $\\mathrm{softmax}(QK^\\top / \\sqrt{d_k})$ with $\\alpha \\le \\frac{1}{2}$.\n\n$$\n\\sum_i \\alpha_i = 1\n$$", new AnchorIds());

        var section = Assert.Single(rendered.Sections);
        Assert.Equal("Why √d_k?", section.Heading!.Text);
        Assert.Equal("Scores softmax(QKᵀ / √d_k) with α ≤ 1/2. Σ_i α_i = 1", section.Text);
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
