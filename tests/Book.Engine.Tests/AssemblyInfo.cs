// Cells capture the process's Console and set its current directory: one session at a time.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
