// One chapter at a time: libtorch's OpenMP threads spin while they wait, so two chapters side by side on CI's 2 cores
// steal each other's cores and the chapters' timing claims measure the scheduler (the preface's matmul times sat at a
// 16 ms floor for every n up to 768 when the .NET Interactive stream ran beside it). The streams stay as collections.
[assembly: Xunit.CollectionBehavior(Xunit.CollectionBehavior.CollectionPerClass, DisableTestParallelization = true)]
