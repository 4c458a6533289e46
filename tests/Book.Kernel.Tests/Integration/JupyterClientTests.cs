namespace Book.Kernel.Tests.Integration;

/// <summary>
/// The real kernel process driven by jupyter_client (clients/kernel_client_checks.py): every check starts
/// a kernel from the installed kernelspec, exactly as Jupyter Lab or nbconvert would.
/// </summary>
[Collection(JupyterCollection.Name)]
public sealed class JupyterClientTests(InstalledKernelSpec kernelSpec)
{
    [JupyterFact] public void Kernel_info_reply_and_status_messages() => Check("kernel_info");

    [JupyterFact] public void Execute_publishes_streams_displays_updates_and_results() => Check("execute");

    [JupyterFact] public void Errors_are_reported_and_queued_cells_aborted() => Check("errors");

    [JupyterFact] public void Is_complete() => Check("is_complete");

    [JupyterFact] public void Complete_uses_roslyn_and_counts_code_points() => Check("complete");

    [JupyterFact] public void Interrupt_by_message_and_by_SIGINT_and_an_honest_report_for_a_tight_loop() => Check("interrupt");

    [JupyterFact] public void Shutdown_echoes_restart_and_exits() => Check("shutdown");

    [JupyterFact] public void Messages_with_a_bad_signature_are_dropped_and_logged() => Check("bad_signature");

    [JupyterFact] public void A_replayed_signed_message_runs_once_and_is_logged() => Check("replay");

    [JupyterFact] public void An_output_flood_delivers_every_line_in_order_and_the_idle() => Check("flood");

    [JupyterFact] public void An_empty_key_means_unsigned_messages() => Check("unsigned");

    [JupyterFact] public void Kernel_exits_when_its_parent_process_dies() => Check("parent_death");

    void Check(string name)
    {
        var script = Path.Combine(RepositoryLayout.TestFiles, "clients", "kernel_client_checks.py");
        var run = ProcessRun.Start(JupyterTools.Python, [script, name], kernelSpec.Environment(), TimeSpan.FromMinutes(3));
        Assert.True(run.ExitCode == 0, run.Describe($"kernel_client_checks.py {name}"));
        Assert.Contains($"ok {name}", run.Output);
    }
}
