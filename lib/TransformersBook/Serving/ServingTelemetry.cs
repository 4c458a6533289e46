using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TransformersBook.Serving;

/// <summary>
/// The engine's metrics and traces through .NET's own instrumentation API (System.Diagnostics.Metrics and
/// <see cref="ActivitySource"/>), which OpenTelemetry, dotnet-counters or a <see cref="MeterListener"/> read without the
/// engine knowing which: a counter of generated tokens, histograms of the time to the first token and of the whole
/// request (in seconds, with bucket boundaries given as advice), a counter of refused requests by reason, observable
/// gauges of the queue depth and the batch size, and one span per request from its acceptance to its retirement.
/// </summary>
public sealed class ServingTelemetry : IDisposable
{
    /// <summary>The meter's name (and the activity source's): what an exporter subscribes to.</summary>
    public const string MeterName = "TransformersBook.Serving";

    /// <summary>The histograms' bucket upper bounds, seconds: finer below 0.1 s, where a small model's first token lands.</summary>
    public static readonly IReadOnlyList<double> LatencyBuckets =
        new[] { 0.0025, 0.005, 0.01, 0.02, 0.035, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10 };

    static readonly ActivitySource Source = new(MeterName);

    readonly Counter<long> tokens;
    readonly Counter<long> rejected;
    readonly Counter<long> finished;
    readonly Histogram<double> firstToken;
    readonly Histogram<double> requestDuration;

    /// <param name="queueDepth">Reads the number of requests waiting now.</param>
    /// <param name="batchSize">Reads the number of sequences in the batch now.</param>
    public ServingTelemetry(Func<int> queueDepth, Func<int> batchSize)
    {
        ArgumentNullException.ThrowIfNull(queueDepth);
        ArgumentNullException.ThrowIfNull(batchSize);
        Meter = new Meter(MeterName);
        var advice = new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets };
        tokens = Meter.CreateCounter<long>("book.serving.tokens", "{token}", "Tokens generated");
        rejected = Meter.CreateCounter<long>("book.serving.rejected", "{request}", "Requests refused, by reason");
        finished = Meter.CreateCounter<long>("book.serving.finished", "{request}", "Requests that left the engine, by outcome");
        firstToken = Meter.CreateHistogram("book.serving.time_to_first_token", "s", "From acceptance to the first generated token", tags: null, advice);
        requestDuration = Meter.CreateHistogram("book.serving.request.duration", "s", "From acceptance to the last generated token", tags: null, advice);
        Meter.CreateObservableGauge("book.serving.queue.depth", queueDepth, "{request}", "Requests waiting in the queue");
        Meter.CreateObservableGauge("book.serving.batch.size", batchSize, "{sequence}", "Sequences in the running batch");
    }

    /// <summary>This engine's meter (a listener can tell it from other engines' meters of the same name).</summary>
    public Meter Meter { get; }

    /// <summary>The activity source of the per-request spans, named <see cref="MeterName"/>.</summary>
    public static ActivitySource Activities => Source;

    /// <summary>Records a refused request.</summary>
    /// <param name="reason">"queue_full" or "shutting_down".</param>
    public void Rejected(string reason) => rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Records one generated token of <paramref name="sequence"/> (after it was added), and the time to the first.</summary>
    internal void TokenGenerated(ServingSequence sequence)
    {
        tokens.Add(1);
        if (sequence.Generated.Count == 1) firstToken.Record(Stopwatch.GetElapsedTime(sequence.AcceptedTimestamp).TotalSeconds);
    }

    /// <summary>Records a sequence leaving the engine: its duration when completed, its outcome, and its span.</summary>
    internal void Finished(ServingSequence sequence, SequenceOutcome outcome)
    {
        var elapsed = Stopwatch.GetElapsedTime(sequence.AcceptedTimestamp);
        string outcomeName = outcome == SequenceOutcome.Completed ? "completed" : "cancelled";
        finished.Add(1, new KeyValuePair<string, object?>("outcome", outcomeName));
        if (outcome == SequenceOutcome.Completed) requestDuration.Record(elapsed.TotalSeconds);
        if (!Source.HasListeners()) return;
        // The span is written when the request leaves, with the start time it had: nothing is held open across threads.
        var end = DateTimeOffset.UtcNow;
        using var span = Source.StartActivity("generate", ActivityKind.Internal, parentContext: default, startTime: end - elapsed);
        if (span is null) return;
        span.SetTag("book.request.id", sequence.Id);
        span.SetTag("book.request.prompt_characters", sequence.PromptIds.Count);
        span.SetTag("book.request.max_tokens", sequence.Request.MaxTokens);
        span.SetTag("book.request.tokens", sequence.Generated.Count);
        span.SetTag("book.request.outcome", outcomeName);
        if (sequence.FirstTokenSeconds is double first) span.SetTag("book.request.time_to_first_token_s", first);
        span.SetEndTime(end.UtcDateTime);
    }

    /// <summary>Disposes the meter (its instruments stop reporting).</summary>
    public void Dispose() => Meter.Dispose();
}
