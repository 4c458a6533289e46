// Chapters train models on 2 cores: one at a time, so each gets the machine the smoke budget assumes.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
