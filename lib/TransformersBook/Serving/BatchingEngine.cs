using System.Diagnostics;
using TransformersBook.Inference;
using TransformersBook.Models;
using static TorchSharp.torch;

namespace TransformersBook.Serving;

/// <summary>
/// A serving engine for the book's GPT with no web framework in it. Requests wait in a <see cref="BoundedRequestQueue{T}"/>;
/// each iteration (<see cref="Step"/>) admits waiting requests into the batch (continuous batching: whenever a place is
/// free; static batching: only when the batch is empty), runs each new request's prompt through its own fresh
/// <see cref="KeyValueCache"/> to choose its first token, runs one decoding step for every sequence already in the batch
/// with <see cref="CachedGptDecoder.ForwardEach"/> (one batched pass outside attention, attention per sequence against
/// its own cache), publishes each new token on its sequence's channel, and retires finished and cancelled sequences.
/// <see cref="Start"/> runs the iterations on a thread of their own; <see cref="StopAccepting"/> begins a graceful
/// shutdown in which everything already accepted still runs to completion.
/// </summary>
public sealed class BatchingEngine : IDisposable
{
    readonly CachedGptDecoder decoder;
    readonly Dictionary<char, long> ids;
    readonly BoundedRequestQueue<ServingSequence> queue;
    readonly List<ServingSequence> running = new();
    readonly SemaphoreSlim work = new(0);
    readonly TaskCompletionSource drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly Stopwatch clock = Stopwatch.StartNew();
    readonly object counters = new();
    long nextId, accepted, rejectedFull, rejectedShutdown, completed, cancelled, steps, tokensGenerated;
    int runningCount;
    volatile bool stopping, disposed;
    Thread? loop;

    /// <param name="model">The GPT (put in evaluation mode here).</param>
    /// <param name="vocabulary">Its characters, a character's id being its index.</param>
    /// <param name="options">Batch size, queue capacity and batching policy.</param>
    public BatchingEngine(Gpt model, IReadOnlyList<char> vocabulary, EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatch, 1);
        model.eval();
        decoder = new CachedGptDecoder(model);
        Vocabulary = vocabulary;
        ids = vocabulary.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => (long)p.i);
        Options = options;
        queue = new BoundedRequestQueue<ServingSequence>(options.QueueCapacity);
        Limits = new ServingLimits(model.Config.ContextLength - 1, model.Config.ContextLength - 1, model.Config.ContextLength);
        Telemetry = new ServingTelemetry(() => queue.Count, () => Volatile.Read(ref runningCount));
    }

    /// <summary>The engine's metrics and per-request spans.</summary>
    public ServingTelemetry Telemetry { get; }

    /// <summary>The engine's options.</summary>
    public EngineOptions Options { get; }

    /// <summary>The model's characters.</summary>
    public IReadOnlyList<char> Vocabulary { get; }

    /// <summary>The request limits the model's context allows (the host may tighten them).</summary>
    public ServingLimits Limits { get; }

    /// <summary>Whether <see cref="StopAccepting"/> was called.</summary>
    public bool IsStopping => stopping;

    /// <summary>Completes once shutdown has begun and every accepted request has left the engine.</summary>
    public Task Drained => drained.Task;

    /// <summary>The counters now.</summary>
    public EngineStatistics Statistics
    {
        get
        {
            lock (counters)
                return new EngineStatistics(accepted, rejectedFull, rejectedShutdown, completed, cancelled, queue.Count, Volatile.Read(ref runningCount), steps, tokensGenerated);
        }
    }

    /// <summary>The text of token ids.</summary>
    public string Decode(IEnumerable<int> tokens) => new(tokens.Select(t => Vocabulary[t]).ToArray());

    /// <summary>
    /// Queues a request (already validated against <see cref="Limits"/>). It is refused at once when the queue is full or
    /// shutdown has begun; an accepted request runs to completion unless <paramref name="cancellation"/> fires first.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellation">Fires when the client goes away.</param>
    public SubmitResult Submit(GenerationRequest request, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var promptIds = request.Prompt.Select(c => ids.TryGetValue(c, out var id) ? id : throw new ArgumentException($"'{c}' is not in the vocabulary.", nameof(request))).ToArray();
        lock (counters)
        {
            if (stopping)
            {
                rejectedShutdown++;
                Telemetry.Rejected("shutting_down");
                return new SubmitResult(SubmitStatus.ShuttingDown, null);
            }
            var sequence = new ServingSequence(nextId, request, promptIds, cancellation);
            if (!queue.TryEnqueue(sequence))
            {
                rejectedFull++;
                Telemetry.Rejected("queue_full");
                return new SubmitResult(SubmitStatus.QueueFull, null, RetryAfterSeconds());
            }
            nextId++;
            accepted++;
            work.Release();
            return new SubmitResult(SubmitStatus.Accepted, sequence);
        }
    }

    /// <summary>
    /// One iteration: retire cancelled sequences, admit waiting requests, prefill the admitted, one decoding step for the
    /// rest, retire the finished. Call it from one thread only (the engine's own after <see cref="Start"/>).
    /// </summary>
    /// <returns>Whether there was anything to do.</returns>
    public bool Step()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        RetireWhere(s => s.Cancellation.IsCancellationRequested, SequenceOutcome.Cancelled);
        Volatile.Write(ref runningCount, running.Count);
        var admitted = new List<ServingSequence>();
        if (Options.Policy == BatchingPolicy.Continuous || running.Count == 0)
        {
            while (running.Count + admitted.Count < Options.MaxBatch && queue.TryDequeue(out var next))
            {
                if (next.Cancellation.IsCancellationRequested) Retire(next, SequenceOutcome.Cancelled);
                else admitted.Add(next);
            }
        }
        if (running.Count == 0 && admitted.Count == 0)
        {
            CheckDrained();
            return false;
        }

        // One decoding step for the sequences already in the batch: their last token, their own caches.
        if (running.Count > 0)
        {
            var lastTokens = tensor(running.Select(s => (long)s.Generated[^1]).ToArray());
            var logits = decoder.ForwardEach(lastTokens, running.Select(s => s.Cache!).ToList());
            Choose(logits, running);
        }
        // The admitted requests' prompts, each through its own new cache; their first token joins the next step.
        foreach (var sequence in admitted)
        {
            sequence.Cache = decoder.NewCache();
            var prompt = tensor(sequence.PromptIds.ToArray()).unsqueeze(0);
            var logits = decoder.Forward(prompt, sequence.Cache);
            Choose(logits.select(1, prompt.shape[1] - 1), new[] { sequence });
            running.Add(sequence);
        }
        lock (counters) steps++;
        RetireWhere(s => s.IsDone, SequenceOutcome.Completed);
        Volatile.Write(ref runningCount, running.Count);
        CheckDrained();
        return true;
    }

    /// <summary>Runs <see cref="Step"/> on a thread of the engine's own until the engine is disposed.</summary>
    /// <param name="configureThread">Runs first on that thread (to set libtorch's thread count, for instance).</param>
    public void Start(Action? configureThread = null)
    {
        if (loop is not null) throw new InvalidOperationException("The engine is already running.");
        loop = new Thread(() =>
        {
            configureThread?.Invoke();
            while (!disposed)
            {
                bool busy;
                try
                {
                    busy = Step();
                }
                catch (Exception e)
                {
                    LastError = e;
                    foreach (var sequence in running) Retire(sequence, SequenceOutcome.Cancelled);
                    running.Clear();
                    Volatile.Write(ref runningCount, 0);
                    busy = false;
                }
                if (!busy) work.Wait(50);
            }
        }) { IsBackground = true, Name = "batching engine" };
        loop.Start();
    }

    /// <summary>The last exception a step threw on the engine's thread (its sequences were ended as cancelled), or null.</summary>
    public Exception? LastError { get; private set; }

    /// <summary>Begins a graceful shutdown: new requests are refused; queued and running ones finish. Await <see cref="Drained"/>.</summary>
    public void StopAccepting()
    {
        lock (counters)
        {
            stopping = true;
            queue.Close();
        }
        work.Release();
    }

    /// <summary>Stops the engine's thread; sequences still inside are ended as cancelled.</summary>
    public void Dispose()
    {
        disposed = true;
        work.Release();
        loop?.Join();
        foreach (var sequence in running) Retire(sequence, SequenceOutcome.Cancelled);
        running.Clear();
        while (queue.TryDequeue(out var waiting)) Retire(waiting, SequenceOutcome.Cancelled);
        work.Dispose();
        Telemetry.Dispose();
    }

    void Choose(Tensor logits, IReadOnlyList<ServingSequence> sequences)
    {
        var greedy = logits.argmax(-1).data<long>().ToArray();
        for (int i = 0; i < sequences.Count; i++)
        {
            var sequence = sequences[i];
            long token = sequence.Request.Temperature > 0
                ? TokenSampler.Sample(logits.narrow(0, i, 1), sequence.Request.Temperature, generator: sequence.Sampler).item<long>()
                : greedy[i];
            sequence.Add((int)token);
            lock (counters) tokensGenerated++;
            Telemetry.TokenGenerated(sequence);
        }
    }

    /// <summary>Takes the running sequences that match out of the batch and retires them with <paramref name="outcome"/>.</summary>
    void RetireWhere(Func<ServingSequence, bool> leaving, SequenceOutcome outcome)
    {
        for (int i = running.Count - 1; i >= 0; i--)
        {
            if (!leaving(running[i])) continue;
            var gone = running[i];
            running.RemoveAt(i);
            Retire(gone, outcome);
        }
    }

    void Retire(ServingSequence sequence, SequenceOutcome outcome)
    {
        sequence.Finish(outcome);
        Telemetry.Finished(sequence, outcome);
        lock (counters)
        {
            if (outcome == SequenceOutcome.Completed) completed++;
            else cancelled++;
        }
    }

    void CheckDrained()
    {
        if (stopping && running.Count == 0 && queue.Count == 0) drained.TrySetResult();
    }

    int RetryAfterSeconds()
    {
        // Requests ahead of a retry, divided by the rate at which requests have been leaving the engine.
        double rate = (completed + cancelled) / Math.Max(clock.Elapsed.TotalSeconds, 1e-3);
        double seconds = rate > 0 ? (queue.Count + runningCount) / rate : 1;
        return (int)Math.Clamp(Math.Ceiling(seconds), 1, 60);
    }
}
