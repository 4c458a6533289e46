// Two streams, one per engine: the book's engine and .NET Interactive each run the chapters one at a time, side by
// side on CI's 2 cores. A smoke run keeps a core busy about 90% of its time (measured: 367 s of CPU in 408 s for the
// book), so two streams take about as long as the slower one instead of the sum (see README, "Tests and CI time").
[assembly: Xunit.CollectionBehavior(Xunit.CollectionBehavior.CollectionPerClass, MaxParallelThreads = 2)]
