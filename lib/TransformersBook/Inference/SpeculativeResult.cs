namespace TransformersBook.Inference;

/// <summary>What a run of <see cref="SpeculativeDecoder.Generate"/> produced and what it cost.</summary>
/// <param name="Tokens">The prompt followed by the generated tokens.</param>
/// <param name="AcceptedPerRound">Draft tokens the target kept in each round (0 … k).</param>
/// <param name="DraftPasses">Forward passes of the draft model.</param>
/// <param name="DraftLength">k, the tokens proposed per round.</param>
public sealed record SpeculativeResult(long[] Tokens, IReadOnlyList<int> AcceptedPerRound, int DraftPasses, int DraftLength)
{
    /// <summary>Forward passes of the target: one per round.</summary>
    public int TargetPasses => AcceptedPerRound.Count;

    /// <summary>The share of proposed draft tokens the target accepted.</summary>
    public double AcceptanceRate => AcceptedPerRound.Sum() / (double)(AcceptedPerRound.Count * DraftLength);

    /// <summary>Tokens produced per target pass (plain decoding makes exactly 1).</summary>
    public double TokensPerTargetPass => AcceptedPerRound.Sum(n => n + 1) / (double)AcceptedPerRound.Count;
}
