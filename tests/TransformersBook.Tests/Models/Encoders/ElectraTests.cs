using TorchSharp;
using TransformersBook.Models;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

[Collection(ProcessState.Name)]
public class ElectraTests
{
    public ElectraTests() => TestSetup.Initialize();

    static Electra Model(int vocabulary) => new(
        new EncoderOnly(new EncoderOnlyConfig(vocabulary, 16, 1, 2, 16, 32)),
        new EncoderOnly(new EncoderOnlyConfig(vocabulary, 16, 1, 2, 32, 64)));

    [Fact]
    public void The_losses_combine_the_generators_mlm_and_lambda_times_the_discriminators()
    {
        manual_seed(1);
        using var electra = Model(20);
        var tokens = randint(2, 20, new long[] { 8, 16 });
        var losses = electra.Losses(tokens, maskId: 1, firstOrdinaryId: 2, discriminatorWeight: 50, random: new Generator(7));
        Assert.Equal(losses.Generator + 50 * losses.Discriminator, losses.Total.item<float>(), 2);
        // About 15 % are masked, and a sample from an untrained generator rarely equals the original.
        Assert.InRange(losses.ReplacedShare, 0.05, 0.25);
        Assert.Equal(new long[] { 8, 16 }, electra.forward(tokens).shape);
    }

    [Fact]
    public void The_discriminator_learns_to_spot_replacements_and_padding_is_never_scored()
    {
        manual_seed(2);
        using var electra = Model(12);
        // A language the generator can learn quickly: each row counts up from a random start.
        var starts = randint(2, 12, new long[] { 32, 1 });
        var tokens = (starts + arange(16).unsqueeze(0) - 2).remainder(10) + 2;
        using var optimizer = optim.AdamW(electra.parameters(), lr: 3e-3);
        var random = new Generator(3);
        double first = 0, last = 0;
        for (int step = 0; step < 150; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var losses = electra.Losses(tokens, 1, 2, random: random);
            losses.Total.backward();
            optimizer.step();
            if (step == 0) first = losses.Discriminator;
            last = losses.Discriminator;
        }
        Assert.True(last < 0.6 * first, $"discriminator loss {first:F3} → {last:F3}");

        var padded = tokens.clone();
        padded[.., 12..] = 0;
        var withPadding = electra.Losses(padded, 1, 2, random: new Generator(4), paddingId: 0);
        Assert.True(double.IsFinite(withPadding.Discriminator));
    }

    [Fact]
    public void Only_masked_positions_are_replaced_and_a_batch_with_nothing_to_mask_changes_nothing()
    {
        manual_seed(3);
        using var electra = Model(20);
        var tokens = randint(2, 20, new long[] { 16, 16 });
        var losses = electra.Losses(tokens, maskId: 1, firstOrdinaryId: 2, random: new Generator(5));
        // At most the ≈15 % masked can change; far more would mean samples landed outside the masked rows.
        Assert.InRange(losses.ReplacedShare, 0.01, 0.25);

        var special = zeros(new long[] { 4, 16 }, ScalarType.Int64) + 1;   // only [MASK] ids: none may be chosen
        var none = electra.Losses(special, maskId: 1, firstOrdinaryId: 2, random: new Generator(6));
        Assert.Equal(0.0, none.ReplacedShare);
        Assert.True(double.IsFinite(none.Discriminator));
    }
}
