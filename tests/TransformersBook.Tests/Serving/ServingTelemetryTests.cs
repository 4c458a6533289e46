using System.Diagnostics;
using System.Diagnostics.Metrics;
using TransformersBook.Serving;
using Xunit;

namespace TransformersBook.Tests;

/// <summary>
/// The engine's instruments, read with a <see cref="MeterListener"/> limited to this engine's meter: one token
/// measurement per generated token, one first-token time and one duration per completed request, refusals by reason,
/// the queue depth gauge, and one span per request carrying its token count.
/// </summary>
[Collection(ProcessState.Name)]
public class ServingTelemetryTests
{
    public ServingTelemetryTests() => TestSetup.Initialize();

    [Fact]
    public void Engine_records_tokens_first_token_times_refusals_queue_depth_and_spans()
    {
        using var engine = new BatchingEngine(ServingTestModel.Create(), ServingTestModel.Vocabulary, new EngineOptions(2, 2));
        long tokens = 0;
        var firstTokens = new List<double>();
        var durations = new List<double>();
        var rejected = new Dictionary<string, long>();
        var gauges = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, engine.Telemetry.Meter)) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "book.serving.tokens") tokens += value;
            else if (instrument.Name == "book.serving.rejected")
            {
                string reason = (string)tags.ToArray().Single(t => t.Key == "reason").Value!;
                rejected[reason] = rejected.GetValueOrDefault(reason) + value;
            }
        });
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => gauges[instrument.Name] = value);
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            if (instrument.Name == "book.serving.time_to_first_token") firstTokens.Add(value);
            else if (instrument.Name == "book.serving.request.duration") durations.Add(value);
        });
        listener.Start();
        var spans = new List<Activity>();
        using var activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ServingTelemetry.MeterName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = span => { lock (spans) spans.Add(span); },
        };
        ActivitySource.AddActivityListener(activities);

        var accepted = new[] { new GenerationRequest("the cat", 5), new GenerationRequest("a dog", 3) }.Select(r => engine.Submit(r)).ToList();
        Assert.All(accepted, s => Assert.Equal(SubmitStatus.Accepted, s.Status));
        Assert.Equal(SubmitStatus.QueueFull, engine.Submit(new GenerationRequest("zz", 2)).Status);
        listener.RecordObservableInstruments();
        Assert.Equal(2, gauges["book.serving.queue.depth"]);
        Assert.Equal(0, gauges["book.serving.batch.size"]);
        while (engine.Step()) { }
        listener.RecordObservableInstruments();
        Assert.Equal(0, gauges["book.serving.queue.depth"]);

        Assert.Equal(8, tokens);
        Assert.Equal(engine.Statistics.TokensGenerated, tokens);
        Assert.Equal(2, firstTokens.Count);
        Assert.Equal(2, durations.Count);
        Assert.All(firstTokens, t => Assert.True(t > 0));
        Assert.True(durations.Max() >= firstTokens.Max());
        Assert.Equal(1, rejected["queue_full"]);
        var mine = spans.Where(s => accepted.Any(a => Equals(s.GetTagItem("book.request.id"), a.Sequence!.Id))).ToList();
        Assert.Equal(2, mine.Count);
        Assert.Equal(new[] { 3, 5 }, mine.Select(s => (int)s.GetTagItem("book.request.tokens")!).Order());
        Assert.All(mine, s => Assert.True(s.Duration > TimeSpan.Zero));
    }
}
