using TransformersBook.Evaluation;
using TransformersBook.Inference;
using TransformersBook.Models;
using Xunit;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>Top-p, the repetition penalty, beam search, the token automaton and distinct-n on hand-made inputs.</summary>
[Collection(ProcessState.Name)]
public class DecodingStrategiesTests
{
    public DecodingStrategiesTests() => TestSetup.Initialize();

    [Fact]
    public void Top_p_keeps_the_smallest_set_with_mass_at_least_p()
    {
        // Probabilities 0.1, 0.5, 0.15, 0.25 (ranked 0.5, 0.25, 0.15, 0.1).
        var logits = tensor(new[] { 0.1, 0.5, 0.15, 0.25 }).log().to(ScalarType.Float32).unsqueeze(0);
        bool[] Kept(double p) => NucleusFilter.Apply(logits, p).isfinite()[0].data<bool>().ToArray();
        Assert.Equal(new[] { false, true, false, false }, Kept(0.5));    // 0.5 alone reaches 0.5
        Assert.Equal(new[] { false, true, false, true }, Kept(0.6));     // 0.5 + 0.25
        Assert.Equal(new[] { false, true, true, true }, Kept(0.8));      // 0.9 ≥ 0.8 with three
        Assert.Equal(new[] { true, true, true, true }, Kept(1.0));
        Assert.Equal(new[] { false, true, false, false }, Kept(0.01));   // the top token is always kept
    }

    [Fact]
    public void Repetition_penalty_divides_positive_and_multiplies_negative_logits_of_seen_tokens()
    {
        var logits = tensor(new[] { 2f, -1f, 3f, -2f }).unsqueeze(0);
        var penalised = RepetitionPenalty.Apply(logits, tensor(new long[] { 0, 1, 1 }).unsqueeze(0), 2.0);
        Assert.Equal(new[] { 1f, -2f, 3f, -2f }, penalised[0].data<float>().ToArray());
    }

    [Fact]
    public void Beam_search_with_one_beam_is_greedy_and_more_beams_never_score_lower()
    {
        manual_seed(5);
        var model = new Gpt(new GptConfig(11, 32, 1, 2, 16));
        model.eval();
        Tensor Next(Tensor batch) => model.forward(batch).select(1, batch.shape[1] - 1);
        var prompt = new long[] { 3, 1, 4 };
        var (beamOne, scoreOne) = BeamSearch.Search(Next, prompt, 1, 10);
        var greedy = new CachedGptDecoder(model).Generate(tensor(prompt).unsqueeze(0), 10, CachedGptDecoder.Greedy);
        Assert.Equal(greedy[0].data<long>().ToArray(), beamOne);
        var (_, scoreFour) = BeamSearch.Search(Next, prompt, 4, 10);
        Assert.True(scoreFour >= scoreOne - 1e-9);
    }

    [Fact]
    public void Word_automaton_allows_only_the_listed_words_between_separators()
    {
        // Words "ab" and "ac" and "b" over tokens a = 0, b = 1, c = 2; separator 3.
        var automaton = TokenAutomaton.FromWords(new[] { new long[] { 0, 1 }, new long[] { 0, 2 }, new long[] { 1 } }, separator: 3);
        Assert.True(automaton.Accepts(new long[] { 0, 1, 3, 1, 3, 0, 2 }));
        Assert.False(automaton.Accepts(new long[] { 0, 3 }));
        Assert.False(automaton.Accepts(new long[] { 2 }));
        Assert.Equal(new long[] { 0, 1 }, automaton.Allowed(TokenAutomaton.Start).OrderBy(t => t).ToArray());
        var masked = automaton.Mask(zeros(1, 4), new[] { automaton.Next(TokenAutomaton.Start, 0) });
        Assert.Equal(new[] { false, true, true, false }, masked.isfinite()[0].data<bool>().ToArray());
    }

    [Fact]
    public void Distinct_n_counts_different_n_grams_over_all_n_grams()
    {
        var sequences = new[] { new long[] { 1, 2, 1, 2 }, new long[] { 1, 2, 3 } };
        Assert.Equal(3.0 / 7, DistinctN.Of(sequences, 1), 10);   // {1, 2, 3} of 7 tokens
        Assert.Equal(3.0 / 5, DistinctN.Of(sequences, 2), 10);   // {12, 21, 23} of 5 bigrams
    }
}
