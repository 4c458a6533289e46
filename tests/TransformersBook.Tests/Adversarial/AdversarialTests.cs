using TransformersBook.Adversarial;
using TransformersBook.Evaluation;
using TransformersBook.Models;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

[Collection(ProcessState.Name)]
public class AdversarialTests
{
    public AdversarialTests() => TestSetup.Initialize();

    [Fact]
    public void Edits_give_the_hand_computed_texts()
    {
        Assert.Equal("axcd", new TextEdit(TextEditKind.Substitute, 1, 'x').Apply("abcd"));
        Assert.Equal("abxcd", new TextEdit(TextEditKind.Insert, 2, 'x').Apply("abcd"));
        Assert.Equal("abcdx", new TextEdit(TextEditKind.Insert, 4, 'x').Apply("abcd"));
        Assert.Equal("acd", new TextEdit(TextEditKind.Delete, 1).Apply("abcd"));
        Assert.Equal("acbd", new TextEdit(TextEditKind.Swap, 1).Apply("abcd"));
        Assert.Throws<ArgumentException>(() => new TextEdit(TextEditKind.Swap, 3).Apply("abcd"));
        Assert.Throws<ArgumentException>(() => new TextEdit(TextEditKind.Substitute, 0, 'a').Apply("abcd"));   // no change
        Assert.Throws<ArgumentException>(() => new TextEdit(TextEditKind.Delete, 4).Apply("abcd"));
    }

    [Fact]
    public void Every_sampled_edit_is_valid_changes_the_text_by_at_most_two_and_is_undone_by_its_inverse()
    {
        var random = new Random(5);
        const string text = "Free money!! click here now to remove";
        var edits = EditCandidates.Sample(text, 200, random, CharacterVocabulary.Printable);
        Assert.Equal(200, edits.Count);
        Assert.Equal(200, edits.Distinct().Count());
        Assert.Equal(4, edits.Select(e => e.Kind).Distinct().Count());
        foreach (var edit in edits)
        {
            Assert.True(edit.IsValidFor(text));
            string edited = edit.Apply(text);
            Assert.NotEqual(text, edited);
            int distance = EditDistance.Levenshtein(text.ToCharArray(), edited.ToCharArray());
            Assert.InRange(distance, 1, edit.Kind == TextEditKind.Swap ? 2 : 1);
            Assert.Equal(text, edit.Inverse(text).Apply(edited));
        }
    }

    [Fact]
    public void Greedy_search_never_exceeds_its_budget_and_stops_at_the_first_success()
    {
        // A model that cannot be fooled: the attack spends exactly its budget.
        double[] Stubborn(IReadOnlyList<string> texts) => texts.Select(_ => 0.9).ToArray();
        var failed = GreedyAttack.Run("win a prize today", Stubborn, budget: 4, candidatesPerStep: 8, new Random(1), CharacterVocabulary.Printable);
        Assert.False(failed.Succeeded);
        Assert.Null(failed.EditsToSucceed);
        Assert.Equal(4, failed.Edits.Count);
        Assert.Equal(5, failed.Probabilities.Count);
        Assert.Equal(1 + 4 * 8, failed.Queries);
        Assert.InRange(EditDistance.Levenshtein(failed.Original.ToCharArray(), failed.Adversarial.ToCharArray()), 1, 8);
        string replayed = failed.Edits.Aggregate(failed.Original, (t, e) => e.Apply(t));
        Assert.Equal(failed.Adversarial, replayed);

        // A model fooled by any edit that breaks the word "prize": the greedy step finds one and stops there.
        double[] Keyword(IReadOnlyList<string> texts) => texts.Select(t => t.Contains("prize") ? 0.9 : 0.1).ToArray();
        var won = GreedyAttack.Run("win a prize today", Keyword, budget: 10, candidatesPerStep: 64, new Random(2), CharacterVocabulary.Printable);
        Assert.True(won.Succeeded);
        Assert.Equal(1, won.EditsToSucceed);
        Assert.DoesNotContain("prize", won.Adversarial);
        Assert.Equal(new[] { 0.9, 0.1 }, won.Probabilities);

        // Budget 0: nothing is edited.
        var none = GreedyAttack.Run("win a prize today", Keyword, budget: 0, candidatesPerStep: 64, new Random(2), CharacterVocabulary.Printable);
        Assert.Empty(none.Edits);
        Assert.Equal("win a prize today", none.Adversarial);
    }

    [Fact]
    public void HotFlip_first_order_estimate_equals_the_exact_change_for_a_linear_model()
    {
        manual_seed(11);
        const int V = 7, d = 5, T = 4;
        var embeddings = randn(V, d, dtype: ScalarType.Float64);
        var w = randn(T, d, dtype: ScalarType.Float64);           // a different weight vector per position
        var tokens = tensor(new long[] { 1, 3, 0, 6, 2, 2, 5, 4 }, new long[] { 2, T });
        Tensor Loss(Tensor ids) => (embeddings[ids] * w).sum(new long[] { 1, 2 });   // linear in the token vectors
        var embedded = embeddings[tokens].detach().requires_grad_(true);
        (embedded * w).sum().backward();
        var estimate = HotFlip.FirstOrderChanges(embedded.grad!, embeddings, tokens);
        Assert.Equal(new long[] { 2, T, V }, estimate.shape);
        var before = Loss(tokens);
        for (int b = 0; b < 2; b++)
            for (int t = 0; t < T; t++)
                for (int v = 0; v < V; v++)
                {
                    var flipped = tokens.clone();
                    flipped[b, t] = tensor((long)v);
                    double exact = (Loss(flipped) - before)[b].item<double>();
                    Assert.Equal(exact, estimate[b, t, v].item<double>(), 10);
                }
    }

    [Fact]
    public void Best_flips_skip_the_current_token_closed_positions_and_disallowed_tokens()
    {
        // One sequence, two positions, three tokens.
        var changes = tensor(new float[] { 0f, 5f, 1f, 9f, 0f, 2f }, new long[] { 1, 2, 3 });
        var tokens = tensor(new long[] { 0, 1 }, new long[] { 1, 2 });
        var (positions, newTokens, estimates) = HotFlip.BestFlips(changes, tokens, tensor(new[] { true, true }).view(1, 2), tensor(new[] { true, true, true }));
        Assert.Equal((1L, 0L, 9.0), (positions[0], newTokens[0], estimates[0]));
        (positions, newTokens, estimates) = HotFlip.BestFlips(changes, tokens, tensor(new[] { true, false }).view(1, 2), tensor(new[] { true, true, true }));
        Assert.Equal((0L, 1L, 5.0), (positions[0], newTokens[0], estimates[0]));
        (positions, newTokens, estimates) = HotFlip.BestFlips(changes, tokens, tensor(new[] { true, true }).view(1, 2), tensor(new[] { false, false, true }));
        Assert.Equal((1L, 2L, 2.0), (positions[0], newTokens[0], estimates[0]));
    }

    [Fact]
    public void HotFlip_attack_flips_each_position_once_within_budget_and_succeeds_on_a_linear_model()
    {
        manual_seed(12);
        const int V = 6, d = 3, T = 5;
        var embeddings = randn(V, d);
        var w = randn(d);
        // p(true class) = σ(Σ_t w·e_t): the loss −log p has the same ranking of flips as −Σ w·e_t.
        (Tensor, Tensor) Probe(Tensor ids)
        {
            var e = embeddings[ids].detach().requires_grad_(true);
            var logit = e.matmul(w).sum(1);
            var p = logit.sigmoid();
            (-p.log()).sum().backward();
            return (p.detach(), e.grad!);
        }
        var tokens = tensor(Enumerable.Repeat((long)embeddings.matmul(w).argmax().item<long>(), 2 * T).ToArray(), new long[] { 2, T });
        var results = HotFlipAttack.Run(tokens, Probe, embeddings, ones(2, T, ScalarType.Bool), ones(V, ScalarType.Bool), budget: 3, threshold: 1e-9);
        foreach (var r in results)
        {
            Assert.False(r.Succeeded);
            Assert.Equal(3, r.Flips.Count);
            Assert.Equal(3, r.Flips.Select(f => f.Position).Distinct().Count());
            Assert.Equal(4, r.Probabilities.Count);
            Assert.True(r.Probabilities.Zip(r.Probabilities.Skip(1), (a, b) => b < a).All(x => x));   // each flip lowers p on a linear model
            Assert.Equal(3, r.Original.Zip(r.Adversarial, (a, b) => a != b).Count(x => x));
        }
        var easy = HotFlipAttack.Run(tokens, Probe, embeddings, ones(2, T, ScalarType.Bool), ones(V, ScalarType.Bool), budget: T, threshold: 0.999);
        Assert.All(easy, r => Assert.True(r.Succeeded && r.EditsToSucceed <= T));
    }

    [Fact]
    public void Character_vocabulary_round_trips_printable_text()
    {
        Assert.Equal(98, CharacterVocabulary.Size);
        Assert.Equal(95, CharacterVocabulary.Printable.Length);
        Assert.All(CharacterVocabulary.Printable, c => Assert.Equal(c, CharacterVocabulary.Character(CharacterVocabulary.Id(c))));
        Assert.Equal(CharacterVocabulary.Unknown, CharacterVocabulary.Id('é'));
        Assert.Equal("Buy now! cheap", CharacterVocabulary.Normalize("  Buy\n\n now!\t cheap  ", 100));
        Assert.Equal("Buy n", CharacterVocabulary.Normalize("  Buy\n\n now!\t cheap  ", 5));
        Assert.Equal(new long[] { 1, 3 + 'a' - ' ', 3 + 'b' - ' ', 0, 0 }, CharacterVocabulary.Encode("ab", 5));
        Assert.Equal(new long[] { 1, 3 + 'a' - ' ', 3 + 'b' - ' ' }, CharacterVocabulary.Encode("abc", 3));
    }

    [Fact]
    public void Classifier_from_token_vectors_equals_the_classifier_from_ids()
    {
        manual_seed(13);
        var model = new TextEncoderClassifier(new TextEncoderConfig(CharacterVocabulary.Size, 16, 2, 2, 16, 32), 2);
        model.eval();
        var ids = tensor(new[] { CharacterVocabulary.Encode("free offer", 16), CharacterVocabulary.Encode("hi bob", 16) }.SelectMany(x => x).ToArray(), new long[] { 2, 16 });
        using (no_grad())
        {
            var direct = model.forward(ids);
            var viaVectors = model.ForwardEmbedded(model.Encoder.Embed(ids), ids);
            Assert.True(TransformersBook.Checks.Difference.MaxAbs(direct, viaVectors) < 1e-6);
            Assert.Equal(new long[] { CharacterVocabulary.Size, 16 }, model.Encoder.TokenEmbeddings.shape);
        }
    }
}
