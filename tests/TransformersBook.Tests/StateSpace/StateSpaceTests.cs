using TorchSharp;
using TransformersBook.Models;
using TransformersBook.StateSpace;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>
/// State-space layers: the diagonal layer's recurrent and convolutional forms agree, a one-state example computed by
/// hand, causality, the selective scan against its own one-step recurrence, state shapes and parameter counts.
/// </summary>
[Collection(ProcessState.Name)]
public class StateSpaceTests
{
    public StateSpaceTests() => TestSetup.Initialize();

    static double MaxDifference(Tensor a, Tensor b) => Largest((a - b).abs());

    static double Largest(Tensor t)
    {
        var max = t.max();
        return max.dtype == ScalarType.Float64 ? max.item<double>() : max.item<float>();
    }

    [Fact]
    public void Diagonal_recurrence_equals_its_convolution()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var layer = new DiagonalStateSpace(channels: 6, stateSize: 4, minStep: 0.05, maxStep: 0.5);
        layer.to(ScalarType.Float64);
        var u = randn(3, 40, 6, dtype: ScalarType.Float64);
        using var noGrad = no_grad();
        var convolved = layer.forward(u);
        var recurrent = layer.ForwardRecurrent(u);
        Assert.Equal(new long[] { 3, 40, 6 }, convolved.shape);
        Assert.True(Largest(convolved.abs()) > 0.1);
        Assert.True(MaxDifference(convolved, recurrent) < 1e-10, $"max |Δ| = {MaxDifference(convolved, recurrent)}");
    }

    [Fact]
    public void One_state_with_a_half_life_of_one_step_computed_by_hand()
    {
        using var scope = NewDisposeScope();
        using var layer = new DiagonalStateSpace(channels: 1, stateSize: 1);
        using (no_grad())
        {
            layer.LogDecay.fill_(0.0);                    // A = −1
            layer.LogStep.fill_(Math.Log(Math.Log(2)));   // Δ = ln 2: Ā = 1/2, B̄ = (1/2 − 1)/(−1) = 1/2
            layer.InputMatrix.fill_(1.0);
            layer.OutputMatrix.fill_(1.0);
            layer.Skip.fill_(0.0);
        }
        using var noGrad = no_grad();
        var kernel = layer.Kernel(3)[0];
        var impulse = layer.forward(tensor(new float[] { 1, 0, 0 }).view(1, 3, 1)).flatten();
        var steps = layer.ForwardRecurrent(tensor(new float[] { 1, 1, 1 }).view(1, 3, 1)).flatten();
        var halves = tensor(new float[] { 0.5f, 0.25f, 0.125f });
        Assert.True(MaxDifference(kernel, halves) < 1e-6);
        Assert.True(MaxDifference(impulse, halves) < 1e-6);
        Assert.True(MaxDifference(steps, tensor(new float[] { 0.5f, 0.75f, 0.875f })) < 1e-6);
    }

    [Fact]
    public void Outputs_before_t_do_not_depend_on_inputs_from_t_on()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        using var diagonal = new DiagonalStateSpace(channels: 8, stateSize: 4);
        using var selective = new SelectiveStateSpace(width: 8, stateSize: 4);
        var x = randn(2, 12, 8);
        var changed = x.clone();
        changed[.., 6] = changed[.., 6] + 1.0;
        using var noGrad = no_grad();
        foreach (var layer in new nn.Module<Tensor, Tensor>[] { diagonal, selective })
        {
            var a = layer.forward(x);
            var b = layer.forward(changed);
            Assert.Equal(0.0, MaxDifference(a[.., ..6], b[.., ..6]));
            Assert.True(MaxDifference(a[.., 6..], b[.., 6..]) > 1e-4);
        }
    }

    [Fact]
    public void Selective_scan_equals_its_one_token_steps()
    {
        using var scope = NewDisposeScope();
        manual_seed(9);
        using var layer = new SelectiveStateSpace(width: 10, stateSize: 6);
        var x = randn(2, 15, 10);
        using var noGrad = no_grad();
        var parallel = layer.forward(x);
        var state = layer.InitialState(2);
        Assert.Equal(new long[] { 2, 10, 6 }, state.shape);
        var stepped = new List<Tensor>();
        for (int t = 0; t < 15; t++)
        {
            var (y, next) = layer.Step(x[.., t], state);
            Assert.Equal(state.shape, next.shape);
            stepped.Add(y);
            state = next;
        }
        Assert.True(MaxDifference(parallel, stack(stepped, dim: 1)) < 1e-5);
    }

    [Fact]
    public void The_language_model_has_its_formula_s_parameters_and_a_constant_state()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        var config = new StateSpaceConfig(VocabularySize: 20, Layers: 2, Width: 16, StateSize: 4);
        using var model = new StateSpaceLanguageModel(config);
        Assert.Equal(config.ParameterCount, model.parameters().Sum(p => p.numel()));
        model.eval();
        var tokens = randint(0, 20, new long[] { 3, 9 });
        using var noGrad = no_grad();
        var logits = model.forward(tokens);
        var states = model.InitialState(3);
        for (int t = 0; t < 9; t++)
        {
            var (stepLogits, next) = model.Step(tokens[.., t], states);
            Assert.True(MaxDifference(stepLogits, logits[.., t]) < 1e-4);
            states = next;
        }
        Assert.Equal(config.StateBytes(batch: 3, bytesPerElement: 4), states.Sum(s => s.numel() * s.element_size()));
        var generated = model.Generate(tokens[.., ..2], newTokens: 5, generator: new Generator(1));
        Assert.Equal(new long[] { 3, 7 }, generated.shape);
    }
}
