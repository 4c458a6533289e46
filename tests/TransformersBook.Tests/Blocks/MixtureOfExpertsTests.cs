using TransformersBook.Blocks;
using TransformersBook.Models;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>The mixture-of-experts layer and MoE GPT.</summary>
// A seeded bound below depends on torch's global generator: run alone so no parallel test draws from it meanwhile.
[Collection(ProcessState.Name)]
public class MixtureOfExpertsTests
{
    public MixtureOfExpertsTests() => TestSetup.Initialize();

    /// <summary>A layer whose router is the identity (d = E): token x gets probabilities softmax(x).</summary>
    static MixtureOfExperts IdentityRouted(int experts, int topK, double? capacityFactor = null, int hidden = 8)
    {
        var layer = new MixtureOfExperts(experts, experts, hidden, topK, capacityFactor);
        using var noGrad = no_grad();
        layer.Router.weight!.copy_(eye(experts));
        return layer;
    }

    static float[] Floats(Tensor t) => t.to_type(ScalarType.Float32).data<float>().ToArray();

    [Fact]
    public void Top2_gates_sum_to_one_over_the_chosen_experts()
    {
        random.manual_seed(1);
        using var layer = new MixtureOfExperts(width: 16, experts: 6, hidden: 8, topK: 2);
        var (probabilities, chosen, gates, _) = layer.Route(randn(50, 16));
        Assert.Equal(new long[] { 50, 2 }, gates.shape);
        Assert.True((gates.sum(-1) - 1).abs().max().item<float>() < 1e-6);
        // The gates are the chosen probabilities renormalised, so their ratio is the probabilities' ratio.
        var picked = probabilities.gather(1, chosen);
        Assert.True((gates[.., 0] / gates[.., 1] - picked[.., 0] / picked[.., 1]).abs().max().item<float>() < 1e-4);
    }

    [Fact]
    public void Top1_gate_is_the_router_probability()
    {
        random.manual_seed(2);
        using var layer = new MixtureOfExperts(width: 16, experts: 4, hidden: 8, topK: 1);
        var (probabilities, _, gates, _) = layer.Route(randn(30, 16));
        Assert.True((gates.squeeze(-1) - probabilities.max(-1).values).abs().max().item<float>() < 1e-7);
        Assert.True(gates.max().item<float>() < 1);
    }

    [Fact]
    public void Top_k_selection_equals_the_hand_computed_one()
    {
        using var layer = IdentityRouted(experts: 4, topK: 2);
        var tokens = tensor(new float[,] { { 3, 1, 2, 0 }, { 0, 5, 1, 4 }, { -1, -2, 0, -3 } });
        var (_, chosen, gates, kept) = layer.Route(tokens);
        Assert.Equal(new long[] { 0, 2, 1, 3, 2, 0 }, chosen.data<long>().ToArray());
        // softmax(3, 2) over the two chosen: e³/(e³+e²) = 1/(1+e⁻¹)
        Assert.Equal(1 / (1 + Math.Exp(-1)), gates[0, 0].item<float>(), 5);
        Assert.True(kept.all().item<bool>());
    }

    [Fact]
    public void Capacity_drops_exactly_the_overflow_tokens_in_order()
    {
        // Five tokens, all preferring expert 0; E = 2, k = 1, c = 1 → C = ⌈1·1·5/2⌉ = 3.
        using var layer = IdentityRouted(experts: 2, topK: 1, capacityFactor: 1.0);
        var tokens = tensor(new float[,] { { 2, 0 }, { 3, 0 }, { 1, 0 }, { 4, 0 }, { 0, 2 }, { 5, 0 } });
        var (_, chosen, _, kept) = layer.Route(tokens);
        Assert.Equal(new long[] { 0, 0, 0, 0, 1, 0 }, chosen.data<long>().ToArray());
        Assert.Equal(3, layer.Capacity(6));
        Assert.Equal(new[] { true, true, true, false, true, false }, kept.data<bool>().ToArray());
        var output = layer.forward(tokens);
        Assert.Equal(0f, output[3].abs().sum().item<float>());
        Assert.Equal(0f, output[5].abs().sum().item<float>());
        Assert.True(output[2].abs().sum().item<float>() > 0);
        Assert.Equal(2, layer.LastRouting!.DroppedAssignments);
        Assert.Equal(2.0 / 6, layer.LastRouting.DroppedFraction, 10);
    }

    [Fact]
    public void First_choices_are_served_before_second_choices()
    {
        // E = 2, k = 2, N = 2, c = 0.5 → C = ⌈0.5·2·2/2⌉ = 1. Token 0 prefers expert 1, token 1 expert 0: both first
        // choices fit, both second choices overflow, whatever the token order.
        using var layer = IdentityRouted(experts: 2, topK: 2, capacityFactor: 0.5);
        var (_, chosen, _, kept) = layer.Route(tensor(new float[,] { { 0, 1 }, { 1, 0 } }));
        Assert.Equal(new long[] { 1, 0, 0, 1 }, chosen.data<long>().ToArray());
        Assert.Equal(new[] { true, false, true, false }, kept.data<bool>().ToArray());
    }

    [Fact]
    public void No_token_is_dropped_at_a_large_capacity_factor()
    {
        random.manual_seed(3);
        using var layer = new MixtureOfExperts(width: 8, experts: 4, hidden: 8, topK: 2, capacityFactor: 4.0);
        layer.forward(randn(40, 8));
        Assert.Equal(0, layer.LastRouting!.DroppedAssignments);
        layer.CapacityFactor = 0.5;
        layer.forward(randn(40, 8));
        Assert.True(layer.LastRouting!.DroppedAssignments >= 40);   // 4 experts × C = 20 places for 80 assignments
    }

    [Fact]
    public void Balance_loss_equals_the_hand_computed_value()
    {
        // p = (3/4, 1/4), (1/4, 3/4), (3/4, 1/4): f = (2/3, 1/3), P = (7/12, 5/12), loss = 2·(14/36 + 5/36) = 38/36.
        using var layer = IdentityRouted(experts: 2, topK: 1);
        double ln3 = Math.Log(3);
        var (_, balance) = layer.Apply(tensor(new[,] { { ln3, 0 }, { 0, ln3 }, { ln3, 0 } }).to_type(ScalarType.Float32));
        Assert.Equal(38.0 / 36, balance.item<float>(), 5);
        var routing = layer.LastRouting!;
        Assert.Equal(2.0 / 3, routing.TokenFraction[0], 6);
        Assert.Equal(1.0 / 3, routing.TokenFraction[1], 6);
        Assert.Equal(7.0 / 12, routing.MeanProbability[0], 5);
        Assert.Equal(38.0 / 36, routing.BalanceLoss, 5);
    }

    [Fact]
    public void Balance_loss_is_one_for_a_uniform_router()
    {
        random.manual_seed(4);
        using var layer = new MixtureOfExperts(width: 8, experts: 5, hidden: 8, topK: 2);
        using (no_grad()) layer.Router.weight!.zero_();
        var (_, balance) = layer.Apply(randn(33, 8));
        Assert.Equal(1.0, balance.item<float>(), 5);
    }

    [Fact]
    public void One_expert_equals_a_dense_feed_forward_layer()
    {
        random.manual_seed(5);
        using var dense = new FeedForward(width: 12, hidden: 48);
        using var layer = new MixtureOfExperts(width: 12, experts: 1, hidden: 48, topK: 1);
        layer.Experts[0].load_state_dict(dense.state_dict());
        var x = randn(3, 7, 12);
        Assert.True((layer.forward(x) - dense.forward(x)).abs().max().item<float>() < 1e-6);
    }

    [Fact]
    public void Balance_loss_trains_the_router()
    {
        random.manual_seed(6);
        using var layer = new MixtureOfExperts(width: 8, experts: 4, hidden: 8, topK: 1);
        var (_, balance) = layer.Apply(randn(20, 8));
        balance.backward();
        Assert.True(layer.Router.weight!.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void MoeGpt_has_the_parameters_its_config_counts()
    {
        // Seeded: the loss-at-initialisation bound below holds for typical initialisations, not for every one.
        random.manual_seed(31);
        var config = new MoeGptConfig(VocabularySize: 30, ContextLength: 16, Layers: 2, Heads: 2, Width: 16, Experts: 4,
            ExpertHidden: 32, TopK: 2, CapacityFactor: 1.25);
        using var model = new MoeGpt(config);
        Assert.Equal(config.ParameterCount, model.parameters().Sum(p => p.numel()));
        Assert.Equal(config.ParameterCount - 2 * 2 * config.ExpertParameterCount, config.ActiveParameterCount);
        var tokens = randint(0, 30, new long[] { 3, 16 });
        var loss = model.Loss(tokens, tokens, balanceCoefficient: 0.01);
        Assert.True(Math.Abs(loss.item<float>() - Math.Log(30)) < 0.2);
        Assert.All(model.LastRouting, r => Assert.Equal(48, r!.Tokens));
    }
}
