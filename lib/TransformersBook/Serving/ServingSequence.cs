using System.Threading.Channels;
using TransformersBook.Inference;
using static TorchSharp.torch;

namespace TransformersBook.Serving;

/// <summary>
/// One accepted request inside the engine: its own <see cref="KeyValueCache"/>, the token it will feed next, the tokens
/// generated so far, its own sampling generator, and a channel on which each new token is published the moment it is
/// chosen (the HTTP layer turns them into server-sent events). <see cref="Finished"/> completes when it leaves the engine.
/// </summary>
public sealed class ServingSequence
{
    readonly Channel<int> tokens = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    readonly TaskCompletionSource<SequenceOutcome> finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly List<int> generated = new();

    internal ServingSequence(long id, GenerationRequest request, IReadOnlyList<long> promptIds, CancellationToken cancellation)
    {
        Id = id;
        Request = request;
        PromptIds = promptIds;
        Cancellation = cancellation;
        if (request.Temperature > 0)
        {
            Sampler = new Generator(unchecked((ulong)request.Seed));
        }
    }

    /// <summary>The engine's number for the request, in order of acceptance.</summary>
    public long Id { get; }

    /// <summary>The request.</summary>
    public GenerationRequest Request { get; }

    /// <summary>The prompt's token ids.</summary>
    public IReadOnlyList<long> PromptIds { get; }

    /// <summary>Cancelled when the client disconnects.</summary>
    public CancellationToken Cancellation { get; }

    /// <summary>The tokens generated so far, in order.</summary>
    public IReadOnlyList<int> Generated => generated;

    /// <summary>Each generated token as soon as it exists; the channel completes when the sequence leaves the engine.</summary>
    public ChannelReader<int> Tokens => tokens.Reader;

    /// <summary>Completes with the outcome when the sequence leaves the engine.</summary>
    public Task<SequenceOutcome> Finished => finished.Task;

    /// <summary>How it left the engine, or null while it is still inside.</summary>
    public SequenceOutcome? Outcome { get; private set; }

    /// <summary>Whether it has generated all its tokens.</summary>
    public bool IsDone => generated.Count >= Request.MaxTokens;

    internal KeyValueCache? Cache { get; set; }

    /// <summary>When the engine accepted it (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>), for the telemetry.</summary>
    internal long AcceptedTimestamp { get; } = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>Seconds from acceptance to the first generated token, or null before it.</summary>
    internal double? FirstTokenSeconds { get; private set; }

    internal Generator? Sampler { get; }

    /// <summary>Records and publishes a new token.</summary>
    internal void Add(int token)
    {
        generated.Add(token);
        if (generated.Count == 1) FirstTokenSeconds = System.Diagnostics.Stopwatch.GetElapsedTime(AcceptedTimestamp).TotalSeconds;
        tokens.Writer.TryWrite(token);
    }

    /// <summary>Frees the cache and the generator, closes the token channel and completes <see cref="Finished"/>.</summary>
    internal void Finish(SequenceOutcome outcome)
    {
        Cache?.Dispose();
        Cache = null;
        Sampler?.Dispose();
        Outcome ??= outcome;
        tokens.Writer.TryComplete();
        finished.TrySetResult(outcome);
    }
}
