using TransformersBook.Attention;
using TransformersBook.Blocks;
using TransformersBook.GpuKernels;
using TransformersBook.Models;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>Sliding-window, global, BigBird, LSH and linear attention, and the sliding-window ILGPU kernel.</summary>
[Collection(ProcessState.Name)]
public class SparseAttentionTests : IClassFixture<CpuKernelDevice>
{
    readonly KernelDevice device;

    public SparseAttentionTests(CpuKernelDevice fixture)
    {
        TestSetup.Initialize();
        device = fixture.Device;
    }

    static bool[,] ToArray(Tensor mask)
    {
        int rows = (int)mask.shape[0], cols = (int)mask.shape[1];
        var flat = mask.to_type(ScalarType.Bool).contiguous().data<bool>().ToArray();
        var result = new bool[rows, cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                result[i, j] = flat[i * cols + j];
        return result;
    }

    static bool[,] Parse(params string[] rows)
    {
        var result = new bool[rows.Length, rows[0].Length];
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < rows[i].Length; j++)
                result[i, j] = rows[i][j] == '1';
        return result;
    }

    static double MaxDiff(Tensor a, Tensor b) => (a - b).abs().max().to_type(ScalarType.Float64).item<double>();

    [Fact]
    public void Symmetric_window_is_a_band_of_width_two_r_plus_one()
    {
        Assert.Equal(Parse("11000", "11100", "01110", "00111", "00011"), ToArray(SlidingWindowMask.Symmetric(5, 1)));
    }

    [Fact]
    public void Causal_window_sees_itself_and_r_earlier_keys()
    {
        Assert.Equal(Parse("10000", "11000", "11100", "01110", "00111"), ToArray(SlidingWindowMask.Causal(5, 2)));
    }

    [Fact]
    public void Global_tokens_open_their_rows_and_columns()
    {
        var keep = SlidingWindowMask.WithGlobalTokens(SlidingWindowMask.Symmetric(5, 0), 1);
        Assert.Equal(Parse("11111", "11000", "10100", "10010", "10001"), ToArray(keep));
        Assert.Equal(6, SlidingWindowMask.ReceptiveField(2, 3));
    }

    [Fact]
    public void BigBird_pattern_has_window_global_and_the_asked_number_of_random_blocks()
    {
        int blocks = 10, window = 1, global = 1, random = 2;
        var pattern = BigBirdMask.BlockPattern(blocks, window, global, random, seed: 3);
        for (int i = 0; i < blocks; i++)
        {
            Assert.True(pattern[0, i] && pattern[i, 0], "block 0 is global");
            for (int j = Math.Max(0, i - window); j <= Math.Min(blocks - 1, i + window); j++) Assert.True(pattern[i, j]);
            if (i < global) continue;
            int structural = Enumerable.Range(0, blocks).Count(j => Math.Abs(i - j) <= window || j < global);
            int total = Enumerable.Range(0, blocks).Count(j => pattern[i, j]);
            Assert.Equal(structural + random, total);
        }
        Assert.Equal(pattern, BigBirdMask.BlockPattern(blocks, window, global, random, seed: 3));
        Assert.NotEqual(pattern, BigBirdMask.BlockPattern(blocks, window, global, random, seed: 4));
    }

    [Fact]
    public void BigBird_token_mask_expands_each_block_to_a_tile()
    {
        var pattern = BigBirdMask.BlockPattern(4, 0, 1, 1, seed: 1);
        var tokens = ToArray(BigBirdMask.Build(12, 3, 0, 1, 1, seed: 1));
        for (int i = 0; i < 12; i++)
            for (int j = 0; j < 12; j++)
                Assert.Equal(pattern[i / 3, j / 3], tokens[i, j]);
    }

    [Fact]
    public void Linear_attention_reordered_equals_the_quadratic_form()
    {
        manual_seed(1);
        var (q, k, v) = (randn(2, 3, 50, 8, dtype: ScalarType.Float64), randn(2, 3, 50, 8, dtype: ScalarType.Float64), randn(2, 3, 50, 5, dtype: ScalarType.Float64));
        Assert.True(MaxDiff(LinearAttention.Compute(q, k, v), LinearAttention.Quadratic(q, k, v)) < 1e-12);
        // φ(x) = elu(x) + 1 is positive, so the quadratic weights are a proper distribution.
        Assert.True(LinearAttention.FeatureMap(randn(1000, dtype: ScalarType.Float64) * 5).min().item<double>() > 0);
    }

    [Fact]
    public void Lsh_attention_equals_full_attention_restricted_to_same_bucket_pairs()
    {
        manual_seed(2);
        int n = 32;
        var (qk, v) = (randn(n, 16), randn(n, 4));
        var buckets = LshAttention.Buckets(qk, LshAttention.RandomRotation(16, 4, seed: 5));
        Assert.True(buckets.min().item<long>() >= 0 && buckets.max().item<long>() < 4);
        var sameBucket = buckets.unsqueeze(1).eq(buckets.unsqueeze(0));
        // One chunk holding everything: exactly the same-bucket pairs.
        var oneChunk = LshAttention.Compute(qk, qk, v, buckets, chunkSize: n);
        Assert.True(MaxDiff(oneChunk, ScaledDotProductAttention.Compute(qk, qk, v, mask: sameBucket).Output) < 1e-5);
        // Chunks of 8: same bucket and same chunk of the sorted order.
        var chunked = LshAttention.Compute(qk, qk, v, buckets, chunkSize: 8);
        var pairs = LshAttention.PairMask(buckets, 8);
        Assert.True(MaxDiff(chunked, ScaledDotProductAttention.Compute(qk, qk, v, mask: pairs).Output) < 1e-5);
        Assert.True(pairs.logical_and(sameBucket.logical_not()).sum().item<long>() == 0);
        // Every query keeps itself, and no query has more partners than a chunk holds.
        Assert.True(pairs.diagonal().all().item<bool>());
        Assert.True(pairs.sum(dim: 1).max().item<long>() <= 8);
    }

    [Fact]
    public void Banded_window_attention_equals_dense_masked_attention()
    {
        manual_seed(3);
        var (q, k, v) = (randn(2, 2, 40, 8), randn(2, 2, 40, 8), randn(2, 2, 40, 6));
        foreach (long radius in new long[] { 0, 3, 50 })
        {
            var dense = ScaledDotProductAttention.Compute(q, k, v, mask: SlidingWindowMask.Symmetric(40, radius)).Output;
            Assert.True(MaxDiff(BandedWindowAttention.Compute(q, k, v, radius), dense) < 1e-5, $"radius {radius}");
        }
    }

    [Theory]
    [InlineData(1, 17, 8, 3, false)]
    [InlineData(3, 40, 16, 5, false)]
    [InlineData(2, 33, 12, 4, true)]
    [InlineData(1, 9, 4, 20, false)]
    public void Kernel_equals_dense_masked_attention_on_the_cpu_accelerator(int sequences, int length, int dim, int radius, bool causal)
    {
        manual_seed(4);
        var (q, k, v) = (randn(sequences, length, dim) * 2, randn(sequences, length, dim) * 2, randn(sequences, length, dim));
        var keep = causal ? SlidingWindowMask.Causal(length, radius) : SlidingWindowMask.Symmetric(length, radius);
        var expected = ScaledDotProductAttention.Compute(q, k, v, mask: keep).Output;
        static float[] Flat(Tensor t) => t.contiguous().data<float>().ToArray();
        var actual = new SlidingWindowAttentionKernel(device, rowsPerGroup: 8).Run(Flat(q), Flat(k), Flat(v),
            new SlidingWindowShape(sequences * length, length, dim, radius, causal));
        KernelData.AllClose(Flat(expected), actual, 1e-5);
    }

    [Fact]
    public void Classifier_runs_with_every_pattern_and_window_layers_limit_what_the_last_position_sees()
    {
        manual_seed(5);
        int n = 16;
        var window = SlidingWindowMask.Symmetric(n, 2);
        var model = new SparseAttentionClassifier(10, 3, 16, 2, 2, window);
        var tokens = randint(10, new long[] { 1, n });
        var logits = model.forward(tokens);
        Assert.Equal(new long[] { 1, 3 }, logits.shape);
        // Changing a token beyond 2 layers × radius 2 = 4 positions from the end cannot change the last position's output.
        var far = tokens.clone();
        far[0, 0] = (tokens[0, 0] + 1).remainder(10);
        Assert.True(MaxDiff(model.forward(far), logits) == 0);
        var near = tokens.clone();
        near[0, n - 3] = (tokens[0, n - 3] + 1).remainder(10);
        Assert.True(MaxDiff(model.forward(near), logits) > 0);
        var linear = new SparseAttentionClassifier(10, 3, 16, 2, 2, window, linear: true);
        Assert.True(MaxDiff(linear.forward(far), linear.forward(tokens)) > 0);
    }
}
