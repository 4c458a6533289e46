using Book.Engine.Execution;
using Xunit;

namespace Book.Engine.Tests;

/// <summary>Cells behave as in the Polyglot C# kernel: one script state, values displayed, errors located.</summary>
public class CellSemanticsTests
{
    [Fact]
    public async Task Variables_usings_types_and_functions_carry_over_between_cells()
    {
        using var s = new TestSession();
        Assert.Equal(CellOutcome.Completed, (await s.Run("using System.Globalization;\nvar x = 20;")).Result.Outcome);
        Assert.Equal(CellOutcome.Completed, (await s.Run("record Point(int X, int Y);\nclass Counter { public int N; public void Add() => N++; }\nstatic int Twice(int v) => v * 2;")).Result.Outcome);
        var (result, _) = await s.Run("var c = new Counter(); c.Add();\nFunc<int, int> f = Twice;\n(f(x) + c.N + new Point(1, 0).X).ToString(CultureInfo.InvariantCulture)");
        Assert.Equal(CellOutcome.Completed, result.Outcome);
        Assert.Equal("42", result.ReturnValue!.Data["text/plain"]);
    }

    [Fact]
    public async Task Lambdas_linq_and_await_work_at_top_level()
    {
        using var s = new TestSession();
        var (result, _) = await s.Run("await Task.Delay(10);\nvar squares = Enumerable.Range(1, 4).Select(i => i * i).ToList();\nsquares.Sum()");
        Assert.Equal("30", result.ReturnValue!.Data["text/plain"]);
    }

    [Fact]
    public async Task Strings_display_as_plain_text_and_other_values_as_html()
    {
        using var s = new TestSession();
        var text = (await s.Run("\"hello\"")).Result.ReturnValue!;
        Assert.Equal(new[] { "text/plain" }, text.Data.Keys);
        Assert.Equal("hello", text.Data["text/plain"]);
        var number = (await s.Run("6 * 7")).Result.ReturnValue!;
        Assert.Contains("text/html", number.Data.Keys);
        Assert.Contains("42", number.Data["text/html"]);
        Assert.Equal("42", number.Data["text/plain"]);
    }

    [Fact]
    public async Task A_statement_ending_in_a_semicolon_displays_nothing()
    {
        using var s = new TestSession();
        Assert.Null((await s.Run("var y = 3;")).Result.ReturnValue);
        Assert.Null((await s.Run("Console.WriteLine(\"x\")")).Result.ReturnValue);
    }

    [Fact]
    public async Task Display_returns_a_handle_whose_update_replaces_the_output()
    {
        using var s = new TestSession();
        var (result, sink) = await s.Run("var h = display(\"step 1\");\nh.Update(\"step 2\");");
        Assert.Equal(CellOutcome.Completed, result.Outcome);
        Assert.Equal(2, sink.Displays.Count);
        Assert.False(sink.Displays[0].IsUpdate);
        Assert.True(sink.Displays[1].IsUpdate);
        Assert.Equal(sink.Displays[0].Id, sink.Displays[1].Id);
        Assert.Equal("step 2", sink.Displays[1].Bundle.Data["text/plain"]);
        // A later cell may update an earlier display (a chart redrawn after training).
        var (_, later) = await s.Run("h.Update(\"done\");");
        Assert.Equal("done", Assert.Single(later.Displays).Bundle.Data["text/plain"]);
    }

    [Fact]
    public async Task Display_with_explicit_mime_types_uses_only_those()
    {
        using var s = new TestSession();
        var (_, sink) = await s.Run("display(\"<b>x</b>\", \"text/html\");");
        Assert.Equal(new[] { "text/html" }, sink.Displays.Single().Bundle.Data.Keys);
    }

    [Fact]
    public async Task Console_output_is_captured_per_cell_on_both_streams()
    {
        using var s = new TestSession();
        var (_, sink) = await s.Run("Console.WriteLine(\"out\"); Console.Error.WriteLine(\"err\"); Console.Write(\"tail\");");
        Assert.Equal("out\ntail", sink.Stdout);
        Assert.Equal("err\n", sink.Stderr);
        var (_, next) = await s.Run("Console.WriteLine(\"second\");");
        Assert.Equal("second\n", next.Stdout);
    }

    [Fact]
    public async Task Output_before_an_exception_is_kept_and_variables_assigned_before_it_survive()
    {
        using var s = new TestSession();
        var (result, sink) = await s.Run("var before = 5;\nConsole.WriteLine(\"printed\");\nthrow new InvalidOperationException(\"boom\");");
        Assert.Equal(CellOutcome.Failed, result.Outcome);
        Assert.Equal("printed\n", sink.Stdout);
        Assert.Equal("RuntimeError", result.Failure!.Kind);
        Assert.Equal(3, result.Failure.Line);
        Assert.Contains("test.ipynb, cell 1, line 3", result.Failure.Message);
        Assert.Contains("System.InvalidOperationException: boom", result.Failure.Message);
        Assert.Equal("5", (await s.Run("before.ToString()")).Result.ReturnValue!.Data["text/plain"]);
    }

    [Fact]
    public async Task Exceptions_thrown_inside_functions_report_the_line_of_the_cell()
    {
        using var s = new TestSession();
        await s.Run("static void Fail()\n{\n    throw new ArgumentException(\"bad\");\n}");
        var (result, _) = await s.Run("var a = 1;\nFail();");
        Assert.Equal(2, result.Failure!.Line);
        Assert.Contains("cell 2, line 2", result.Failure.Message);
    }

    [Fact]
    public async Task Compile_errors_report_the_diagnostic_and_line_and_leave_state_unchanged()
    {
        using var s = new TestSession();
        await s.Run("var kept = 1;");
        var (result, _) = await s.Run("var ok = 2;\nvar z = undefinedName + 1;");
        Assert.Equal(CellOutcome.Failed, result.Outcome);
        Assert.Equal("CompilationError", result.Failure!.Kind);
        Assert.Equal(2, result.Failure.Line);
        Assert.Contains("CS0103", result.Failure.Message);
        Assert.Contains("test.ipynb, cell 2, line 2", result.Failure.Message);
        Assert.Equal("1", (await s.Run("kept.ToString()")).Result.ReturnValue!.Data["text/plain"]);
    }

    [Fact]
    public async Task A_cell_over_its_time_limit_is_reported_as_timed_out()
    {
        using var s = new TestSession(cellTimeout: TimeSpan.FromMilliseconds(300));
        // Cooperative: the token the engine publishes stops the loop.
        var (cooperative, _) = await s.Run(
            "var token = (System.Threading.CancellationToken)AppContext.GetData(\"Book.CellCancellation\")!;\n" +
            "while (true) { token.ThrowIfCancellationRequested(); System.Threading.Thread.Sleep(10); }");
        Assert.Equal(CellOutcome.TimedOut, cooperative.Outcome);
        Assert.DoesNotContain("still running", cooperative.Failure!.Message);
        // The session goes on afterwards.
        Assert.Equal(CellOutcome.Completed, (await s.Run("1 + 1")).Result.Outcome);
    }

    [Fact]
    public async Task A_cell_that_ignores_cancellation_is_reported_honestly_and_blocks_the_session()
    {
        using var s = new TestSession(cellTimeout: TimeSpan.FromMilliseconds(200));
        // The cell must outlast the 0.2 s limit and the 3 s grace by a wide margin: on a loaded 2-core machine the
        // engine's continuation after the time limit can start a second late, and a 4 s cell had then already ended.
        var (result, _) = await s.Run("var until = DateTime.UtcNow.AddSeconds(10); while (DateTime.UtcNow < until) { }");
        Assert.Equal(CellOutcome.TimedOut, result.Outcome);
        Assert.Contains("still running", result.Failure!.Message);
        var (next, _) = await s.Run("1");
        Assert.Equal(CellOutcome.Failed, next.Outcome);
        Assert.Contains("still running", next.Failure!.Message);
    }

    [Fact]
    public async Task Cancelling_a_cell_reports_it_as_interrupted()
    {
        using var s = new TestSession();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var (result, _) = await s.Run(
            "var token = (System.Threading.CancellationToken)AppContext.GetData(\"Book.CellCancellation\")!;\nawait Task.Delay(-1, token);", cts.Token);
        Assert.Equal(CellOutcome.Cancelled, result.Outcome);
        Assert.Contains("interrupted", result.Failure!.Message);
    }

    [Fact]
    public async Task A_formatter_registered_by_a_cell_is_the_one_the_engine_uses()
    {
        using var s = new TestSession();
        await s.Run("class Temperature { public double C; }\n" +
                    "Microsoft.DotNet.Interactive.Formatting.Formatter.Register<Temperature>((t, w) => w.Write($\"<b>{t.C} °C</b>\"), \"text/html\");");
        var value = (await s.Run("new Temperature { C = 21.5 }")).Result.ReturnValue!;
        Assert.Equal("<b>21.5 °C</b>", value.Data["text/html"]);
    }

    [Fact]
    public void Completeness_follows_the_parser()
    {
        Assert.Equal(CodeCompleteness.Complete, NotebookSession.CheckCompleteness("var x = 1;"));
        Assert.Equal(CodeCompleteness.Incomplete, NotebookSession.CheckCompleteness("for (int i = 0; i < 3; i++) {"));
        Assert.Equal(CodeCompleteness.Invalid, NotebookSession.CheckCompleteness("var = ;"));
    }

    [Fact]
    public async Task Completions_offer_members_of_the_expression_before_the_dot_and_names_in_scope()
    {
        using var s = new TestSession();
        await s.Run("var message = \"abc\";");
        var members = await s.Session.CompleteAsync("message.ToUp", 12);
        Assert.Contains("ToUpper", members.Matches);
        Assert.Equal(8, members.CursorStart);
        var names = await s.Session.CompleteAsync("mess", 4);
        Assert.Contains("message", names.Matches);
    }
}
