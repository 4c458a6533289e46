using TransformersBook.Data;
using TransformersBook.Models;
using TransformersBook.Training;
using Xunit;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>BERT's pieces: the 80/10/10 masked-LM corruption, the [CLS] classifier, and the SpamAssassin parser.</summary>
[Collection(ProcessState.Name)]
public class BertTests
{
    public BertTests() => TestSetup.Initialize();

    [Fact]
    public void Masking_rates_are_15_percent_then_80_10_10()
    {
        var tokens = randint(5, 1000, new long[] { 400, 250 });
        var (input, targets) = MaskedLanguageModeling.Corrupt(tokens, maskId: 4, vocabularySize: 1000, firstOrdinaryId: 5, new Generator(11));
        var chosen = targets != MaskedLanguageModeling.IgnoreIndex;
        double n = chosen.sum().item<long>();
        double masked = (input == 4).logical_and(chosen).sum().item<long>() / n;
        double kept = (input == tokens).logical_and(chosen).sum().item<long>() / n;
        // 100,000 tokens: the chosen share has a standard error of 0.0011; the shares of 15,000 chosen about 0.003.
        Assert.InRange(n / tokens.numel(), 0.145, 0.155);
        Assert.InRange(masked, 0.785, 0.815);
        Assert.InRange(kept, 0.09, 0.11);
        Assert.InRange(1 - masked - kept, 0.09, 0.11);
        Assert.True((input == tokens).logical_or(chosen).all().item<bool>(), "an unchosen position changed");
        Assert.True((targets.masked_select(chosen) == tokens.masked_select(chosen)).all().item<bool>(), "targets must be the original tokens");
    }

    [Fact]
    public void Masked_positions_are_exactly_those_the_seeded_draws_give()
    {
        var tokens = tensor(new long[] { 2, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 3, 0, 0, 0 }).reshape(2, 8);
        var (input, targets) = MaskedLanguageModeling.Corrupt(tokens, 4, 20, 5, new Generator(5), rate: 0.5);
        // The same three draws, in the same order, by hand.
        var g = new Generator(5);
        var choose = rand(new long[] { 2, 8 }, generator: g).data<float>().ToArray();
        var how = rand(new long[] { 2, 8 }, generator: g).data<float>().ToArray();
        var pick = rand(new long[] { 2, 8 }, generator: g).data<float>().ToArray();
        var original = tokens.data<long>().ToArray();
        var actualInput = input.data<long>().ToArray();
        var actualTargets = targets.data<long>().ToArray();
        int chosenCount = 0;
        for (int i = 0; i < original.Length; i++)
        {
            bool chosen = choose[i] < 0.5 && original[i] >= 5;
            chosenCount += chosen ? 1 : 0;
            long expected = !chosen ? original[i] : how[i] < 0.8 ? 4 : how[i] < 0.9 ? 5 + Math.Min(14, (long)Math.Floor(pick[i] * 15)) : original[i];
            Assert.Equal(expected, actualInput[i]);
            Assert.Equal(chosen ? original[i] : -100, actualTargets[i]);
        }
        Assert.InRange(chosenCount, 1, 11);   // the seed chooses some but not all of the 11 ordinary tokens
        var again = MaskedLanguageModeling.Corrupt(tokens, 4, 20, 5, new Generator(5), rate: 0.5);
        Assert.True((again.Input == input).all().item<bool>());
    }

    [Fact]
    public void Special_tokens_are_never_chosen()
    {
        var tokens = randint(0, 5, new long[] { 50, 50 });
        var (input, targets) = MaskedLanguageModeling.Corrupt(tokens, 4, 100, 5, new Generator(1), rate: 1.0);
        Assert.True((input == tokens).all().item<bool>());
        Assert.True((targets == MaskedLanguageModeling.IgnoreIndex).all().item<bool>());
    }

    static readonly EncoderOnlyConfig Tiny = new(VocabularySize: 12, ContextLength: 8, Layers: 2, Heads: 2, Width: 16, FeedForwardWidth: 32, PaddingId: 0);

    [Fact]
    public void Classifier_maps_tokens_to_one_logit_per_class_and_shares_the_encoder()
    {
        manual_seed(3);
        var encoder = new EncoderOnly(Tiny);
        var classifier = new BertClassifier(encoder, classes: 3);
        var tokens = randint(1, 12, new long[] { 5, 8 });
        Assert.Equal(new long[] { 5, 3 }, classifier.forward(tokens).shape);
        var pooled = classifier.Pooled(tokens);
        Assert.Equal(new long[] { 5, 16 }, pooled.shape);
        Assert.True(pooled.abs().max().item<float>() <= 1f);
        long expected = Tiny.ParameterCount + (16 * 16 + 16) + (16 * 3 + 3);
        Assert.Equal(expected, classifier.parameters().Sum(p => p.numel()));
        Assert.Same(encoder, classifier.Encoder);
    }

    [Fact]
    public void Classifier_reads_only_the_cls_position_output_but_attends_everywhere()
    {
        manual_seed(4);
        var classifier = new BertClassifier(new EncoderOnly(Tiny), classes: 2, dropout: 0);
        classifier.eval();
        var a = tensor(new long[] { 2, 5, 6, 7, 3, 0, 0, 0 }).unsqueeze(0);
        var b = tensor(new long[] { 2, 5, 6, 8, 3, 0, 0, 0 }).unsqueeze(0);
        var padded = tensor(new long[] { 2, 5, 6, 7, 3, 0, 0, 9 }).unsqueeze(0);   // a non-pad token late changes the answer
        Assert.True((classifier.forward(a) - classifier.forward(b)).abs().max().item<float>() > 1e-6, "a later token must influence [CLS]");
        Assert.True((classifier.forward(a) - classifier.forward(padded)).abs().max().item<float>() > 1e-6);
    }

    [Fact]
    public void A_tiny_classifier_overfits_a_tiny_task()
    {
        manual_seed(5);
        var classifier = new BertClassifier(new EncoderOnly(Tiny), classes: 2, dropout: 0);
        // Label 1 when token 7 occurs anywhere after [CLS].
        var tokens = tensor(new long[]
        {
            2, 5, 6, 7, 3, 0, 0, 0,   2, 5, 6, 8, 3, 0, 0, 0,   2, 7, 9, 9, 3, 0, 0, 0,   2, 9, 9, 10, 3, 0, 0, 0,
            2, 10, 11, 5, 7, 3, 0, 0, 2, 11, 10, 5, 6, 3, 0, 0, 2, 6, 7, 3, 0, 0, 0, 0,   2, 6, 8, 3, 0, 0, 0, 0,
        }).reshape(8, 8);
        var labels = tensor(new long[] { 1, 0, 1, 0, 1, 0, 1, 0 });
        var optimizer = optim.Adam(classifier.parameters(), lr: 3e-3);
        double loss = double.NaN;
        for (int step = 0; step < 200; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var value = nn.functional.cross_entropy(classifier.forward(tokens), labels);
            value.backward();
            optimizer.step();
            loss = value.item<float>();
        }
        classifier.eval();
        Assert.True(loss < 0.05, $"loss {loss}");
        Assert.True((classifier.forward(tokens).argmax(1) == labels).all().item<bool>());
    }

    [Fact]
    public void Spam_assassin_parser_keeps_subject_and_plain_body()
    {
        string raw = "Return-Path: <a@b.c>\r\nSubject: Win   money NOW\r\nX-Mailer: foo\r\n\r\n<html><b>Click</b>&nbsp;here\n\n  &amp; win</html>\r\n";
        var message = SpamAssassin.Parse("spam-2", "00001.abc", raw);
        Assert.True(message.IsSpam);
        Assert.Equal("Win   money NOW", message.Subject);
        Assert.Equal("Click here & win", message.Body.Replace('\u00a0', ' '));
        Assert.Equal("Win   money NOW\nClick here & win", message.Text.Replace('\u00a0', ' '));
        Assert.False(SpamAssassin.Parse("hard-ham-1", "x", "Subject: hi\n\nbody").IsSpam);
        Assert.Equal("", SpamAssassin.Parse("easy-ham-1", "x", "Subject: only a header").Body);
    }
}
