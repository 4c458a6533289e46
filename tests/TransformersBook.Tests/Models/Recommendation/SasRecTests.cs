using TorchSharp;
using TransformersBook.Models;
using Xunit;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

[Collection(ProcessState.Name)]
public class SasRecTests
{
    public SasRecTests() => TestSetup.Initialize();

    [Fact]
    public void States_depend_only_on_earlier_items_and_vanish_at_padding()
    {
        manual_seed(3);
        using var model = new SasRec(itemCount: 20, maxLength: 8, width: 16, layers: 2, heads: 2);
        model.eval();
        var items = tensor(new long[] { 0, 0, 3, 7, 1, 9, 4, 2, 5, 6, 7, 8, 9, 10, 11, 12 }, new long[] { 2, 8 });
        var changed = items.clone();
        changed[.., 6..] = tensor(new long[] { 13, 14, 15, 16 }, new long[] { 2, 2 });
        using var noGrad = no_grad();
        var h = model.forward(items);
        var h2 = model.forward(changed);
        Assert.Equal(new long[] { 2, 8, 16 }, h.shape);
        Assert.True((h.narrow(1, 0, 6) - h2.narrow(1, 0, 6)).abs().max().item<float>() < 1e-5f);
        Assert.True((h.narrow(1, 6, 2) - h2.narrow(1, 6, 2)).abs().max().item<float>() > 1e-4f);
        Assert.Equal(0f, h[0, 0].abs().max().item<float>());
    }

    [Fact]
    public void Scores_are_dot_products_with_the_shared_item_table()
    {
        manual_seed(4);
        using var model = new SasRec(itemCount: 10, maxLength: 4, width: 8, layers: 1, heads: 2);
        model.eval();
        using var noGrad = no_grad();
        var history = tensor(new long[] { 0, 2, 5, 1 }, new long[] { 1, 4 });
        var all = model.NextItemScores(history);
        Assert.Equal(new long[] { 1, 11 }, all.shape);
        Assert.True(float.IsNegativeInfinity(all[0, 0].item<float>()));
        var state = model.forward(history)[0, 3];
        float byHand = (state * model.ItemEmbedding.weight![7]).sum().item<float>();
        Assert.Equal(byHand, all[0, 7].item<float>(), 4);
        var some = model.ScoreItems(state.unsqueeze(0), tensor(new long[] { 7, 3 }).unsqueeze(0));
        Assert.Equal(byHand, some[0, 0].item<float>(), 4);
    }

    [Fact]
    public void Binary_cross_entropy_by_hand_and_training_lowers_both_losses()
    {
        manual_seed(5);
        using var model = new SasRec(itemCount: 10, maxLength: 4, width: 8, layers: 1, heads: 2, dropout: 0.0);
        var inputs = tensor(new long[] { 0, 1, 2, 3 }, new long[] { 1, 4 });
        var positives = tensor(new long[] { 0, 2, 3, 4 }, new long[] { 1, 4 });
        var negatives = tensor(new long[] { 0, 9, 8, 7 }, new long[] { 1, 4 });
        var loss = SasRecLosses.BinaryCrossEntropy(model, inputs, positives, negatives);
        using (no_grad())
        {
            var h = model.forward(inputs);
            double sum = 0;
            for (int t = 1; t < 4; t++)
            {
                double rp = model.ScoreItems(h[0, t], positives[0, t]).item<float>();
                double rn = model.ScoreItems(h[0, t], negatives[0, t]).item<float>();
                sum += -Math.Log(1 / (1 + Math.Exp(-rp))) - Math.Log(1 / (1 + Math.Exp(rn)));
            }
            Assert.Equal(sum / 3, loss.item<float>(), 4);
        }
        var optimizer = optim.Adam(model.parameters(), lr: 0.01);
        float first = loss.item<float>(), firstSoftmax = SasRecLosses.SoftmaxCrossEntropy(model, inputs, positives).item<float>();
        for (int step = 0; step < 50; step++)
        {
            optimizer.zero_grad();
            var l = SasRecLosses.BinaryCrossEntropy(model, inputs, positives, negatives) + SasRecLosses.SoftmaxCrossEntropy(model, inputs, positives);
            l.backward();
            optimizer.step();
        }
        Assert.True(SasRecLosses.BinaryCrossEntropy(model, inputs, positives, negatives).item<float>() < first / 2);
        Assert.True(SasRecLosses.SoftmaxCrossEntropy(model, inputs, positives).item<float>() < firstSoftmax / 2);
        Assert.Equal(0f, model.ItemEmbedding.weight![0].abs().max().item<float>());
    }
}
