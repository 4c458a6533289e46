using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Blocks;

/// <summary>
/// A sparsely-gated mixture-of-experts feed-forward layer (Shazeer et al., 2017; GShard, Lepikhin et al., 2021;
/// Switch Transformer, Fedus et al., 2022). A router (a linear map to E scores, then a softmax) gives every token a
/// probability for each of E expert feed-forward networks; the token goes to its k most probable experts and the
/// layer returns their outputs weighted by the gates. Only k of the E experts run for a token, so the parameters grow
/// with E while the work per token stays that of k experts.
/// </summary>
/// <remarks>
/// <para>Gates: with k = 1 the gate is the router probability p itself (Switch); renormalising it would make it the
/// constant 1, and the router would get no gradient from the language-model loss. With k ≥ 2 the k probabilities are
/// renormalised to sum to 1 (GShard's top-2; Mixtral).</para>
/// <para>Capacity: an expert accepts at most C = ⌈c·k·N/E⌉ assignments per batch of N tokens (c the capacity
/// factor). Assignments are served first choices first (GShard), each in token order; those beyond C are dropped,
/// and the token gets nothing from that expert (in a residual block it passes through unchanged).</para>
/// <para>Balance: <see cref="ExpertRouting.BalanceLoss"/> E·Σ f_i·P_i is returned by <see cref="Apply"/> as a
/// differentiable tensor, to be added to the training loss with a small coefficient (0.01 in Switch).</para>
/// </remarks>
public sealed class MixtureOfExperts : nn.Module<Tensor, Tensor>
{
    readonly Linear router;
    readonly ModuleList<FeedForward> experts;

    /// <param name="width">The model width d.</param>
    /// <param name="experts">E, the number of experts.</param>
    /// <param name="hidden">Each expert's hidden width h.</param>
    /// <param name="topK">k, the experts each token is sent to (1 ≤ k ≤ E).</param>
    /// <param name="capacityFactor">c in C = ⌈c·k·N/E⌉; null: no capacity limit, no token is dropped.</param>
    /// <param name="dropout">Dropout on each expert's output.</param>
    public MixtureOfExperts(int width, int experts, int hidden, int topK = 1, double? capacityFactor = null, double dropout = 0.0)
        : base(nameof(MixtureOfExperts))
    {
        if (experts < 1) throw new ArgumentOutOfRangeException(nameof(experts), experts, "A mixture needs at least one expert.");
        if (topK < 1 || topK > experts) throw new ArgumentOutOfRangeException(nameof(topK), topK, $"k must be between 1 and E = {experts}.");
        ExpertCount = experts;
        TopK = topK;
        CapacityFactor = capacityFactor;
        // No bias: Switch's router is a plain matrix, and a bias would only shift every token's scores alike.
        router = nn.Linear(width, experts, hasBias: false);
        this.experts = nn.ModuleList(Enumerable.Range(0, experts).Select(_ => new FeedForward(width, hidden, dropout)).ToArray());
        RegisterComponents();
    }

    /// <summary>E, the number of experts.</summary>
    public int ExpertCount { get; }

    /// <summary>k, the experts each token is sent to.</summary>
    public int TopK { get; }

    /// <summary>The capacity factor c (null: unlimited). Settable, to evaluate a trained layer at other capacities.</summary>
    public double? CapacityFactor
    {
        get => capacityFactor;
        set
        {
            if (value is <= 0) throw new ArgumentOutOfRangeException(nameof(value), value, "The capacity factor must be positive.");
            capacityFactor = value;
        }
    }

    double? capacityFactor;

    /// <summary>The router, d → E scores.</summary>
    public Linear Router => router;

    /// <summary>The experts, each a <see cref="FeedForward"/> network d → h → d.</summary>
    public IReadOnlyList<FeedForward> Experts => experts.ToArray();

    /// <summary>How the last batch was routed (null before the first forward pass).</summary>
    public ExpertRouting? LastRouting { get; private set; }

    /// <summary>C, the most assignments one expert takes from a batch of <paramref name="tokens"/> tokens.</summary>
    public int Capacity(int tokens) => CapacityFactor is double c
        ? Math.Max(1, (int)Math.Ceiling(c * TopK * tokens / ExpertCount))
        : TopK * tokens;

    /// <summary>The mixture's output, (..., d) → (..., d); dropped assignments contribute zero.</summary>
    public override Tensor forward(Tensor x) => Apply(x).Output;

    /// <summary>The output and the differentiable balance loss E·Σ f_i·P_i; also sets <see cref="LastRouting"/>.</summary>
    /// <param name="x">(..., d): every position is routed on its own.</param>
    public (Tensor Output, Tensor BalanceLoss) Apply(Tensor x)
    {
        using var scope = NewDisposeScope();
        long width = x.shape[^1];
        var flat = x.reshape(-1, width);
        int n = (int)flat.shape[0], e = ExpertCount, k = TopK;
        var (probabilities, chosen, gates, kept, assignments) = Dispatch(flat);
        int capacity = Capacity(n);

        var tokenFraction = assignments.sum(dim: 0).to_type(probabilities.dtype) / (k * n);   // f_i
        var meanProbability = probabilities.mean(new long[] { 0 });                         // P_i
        var balanceLoss = e * (tokenFraction * meanProbability).sum();

        var output = zeros_like(flat);
        for (int i = 0; i < e; i++)
        {
            var mine = chosen.eq(i).logical_and(kept);                                      // (N, k), at most one per row
            var tokens = mine.any(-1).nonzero().view(-1);
            if (tokens.numel() == 0) continue;
            var gate = (gates * mine).sum(-1).index_select(0, tokens).unsqueeze(-1);
            var result = experts[i].forward(flat.index_select(0, tokens)) * gate;
            output = output.index_add(0, tokens, result, 1.0);
        }

        int dropped = k * n - (int)kept.sum().item<long>();
        LastRouting = new ExpertRouting(e, k, n, capacity, Doubles(tokenFraction), Doubles(meanProbability),
            balanceLoss.item<float>(), dropped);
        return (output.view(x.shape).MoveToOuterDisposeScope(), balanceLoss.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The router's decisions for N tokens: probabilities (N, E), the chosen experts (N, k, best first), their gates
    /// (N, k) and whether each assignment fits in its expert's capacity (N, k, bool).
    /// </summary>
    /// <param name="tokens">(N, d) token vectors.</param>
    public (Tensor Probabilities, Tensor Chosen, Tensor Gates, Tensor Kept) Route(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var (probabilities, chosen, gates, kept, _) = Dispatch(tokens);
        return (probabilities.MoveToOuterDisposeScope(), chosen.MoveToOuterDisposeScope(),
            gates.MoveToOuterDisposeScope(), kept.MoveToOuterDisposeScope());
    }

    (Tensor Probabilities, Tensor Chosen, Tensor Gates, Tensor Kept, Tensor Assignments) Dispatch(Tensor flat)
    {
        int n = (int)flat.shape[0], e = ExpertCount, k = TopK;
        var probabilities = nn.functional.softmax(router.forward(flat), dim: -1);         // (N, E)
        var (topProbabilities, chosen) = probabilities.topk(k, dim: -1);                    // (N, k), best first
        var gates = k == 1 ? topProbabilities : topProbabilities / topProbabilities.sum(-1, keepdim: true);
        // Slot-major order: every token's first choice (in token order), then every second choice, …
        var assignments = nn.functional.one_hot(chosen.t().reshape(-1), e);                // (k·N, E)
        var position = (assignments.cumsum(dim: 0) * assignments).sum(-1) - 1;            // place in its expert's queue
        var kept = (position < Capacity(n)).view(k, n).t();                                 // (N, k)
        return (probabilities, chosen, gates, kept, assignments);
    }

    static double[] Doubles(Tensor t) => t.detach().to_type(ScalarType.Float64).cpu().data<double>().ToArray();
}
