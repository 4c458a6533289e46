using System.Buffers.Binary;
using System.Text;
using TorchSharp.PyBridge;
using TransformersBook.Models;
using TransformersBook.ModelFiles;
using Xunit;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>
/// The book's safetensors writer and reader: the reference implementation's byte-level examples, one malformed file
/// per rule, every dtype TorchSharp has, and files exchanged with TorchSharp.PyBridge's implementation both ways.
/// </summary>
[Collection(ProcessState.Name)]
public class SafeTensorsTests
{
    public SafeTensorsTests() => TestSetup.Initialize();

    /// <summary>A file: the header length of <paramref name="json"/> (its UTF-8 bytes), the JSON, then <paramref name="data"/> zero bytes.</summary>
    static byte[] FileOf(string json, int data)
    {
        byte[] header = Encoding.UTF8.GetBytes(json);
        var file = new byte[8 + header.Length + data];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        return file;
    }

    static bool Same(Tensor a, Tensor b) => a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    static SafeTensorsRule RuleBroken(byte[] file) => Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.ReadHeader(file)).Rule;

    [Fact]
    public void The_reference_serialization_example_is_reproduced_byte_for_byte()
    {
        // huggingface/safetensors, safetensors/src/tensor.rs, test_serialization: F32 [1, 1, 2, 3] holding 0 … 5.
        byte[] expected =
        {
            72, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 48, 34, 58, 123, 34, 100, 116,
            121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34, 58,
            91, 49, 44, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102,
            115, 101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 32, 32, 32, 32, 32,
            32, 32, 0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0,
            160, 64,
        };
        var attn0 = arange(6, dtype: float32).reshape(1, 1, 2, 3);
        byte[] written = SafeTensors.Serialize(new Dictionary<string, Tensor> { ["attn0"] = attn0 });
        Assert.Equal(expected, written);

        // By hand: 72 = the 65-byte JSON padded with 7 spaces to a multiple of 8; the data starts at 8 + 72 = 80 and
        // 1.0f is 00 00 80 3F little-endian.
        Assert.Equal(72UL, BinaryPrimitives.ReadUInt64LittleEndian(written));
        Assert.Equal("{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}       ", Encoding.UTF8.GetString(written, 8, 72));
        Assert.Equal(new byte[] { 0, 0, 128, 63 }, written[84..88]);

        var (tensors, metadata) = SafeTensors.Deserialize(expected);
        Assert.Empty(metadata);
        Assert.Equal(new long[] { 1, 1, 2, 3 }, tensors["attn0"].shape);
        Assert.True(Same(tensors["attn0"], attn0));
    }

    [Fact]
    public void The_reference_deserialization_examples_are_read()
    {
        // test_deserialization: I32 [2, 2], 16 zero bytes.
        var (tensors, _) = SafeTensors.Deserialize(FileOf("{\"test\":{\"dtype\":\"I32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}", 16));
        Assert.Equal(ScalarType.Int32, tensors["test"].dtype);
        Assert.Equal(new long[] { 2, 2 }, tensors["test"].shape);
        Assert.Equal(0, tensors["test"].abs().sum().item<long>());
        // test_empty_shapes_allowed: a scalar of 4 bytes; test_zero_sized_tensor: [2, 0] of no bytes.
        Assert.Empty(SafeTensors.Deserialize(FileOf("{\"test\":{\"dtype\":\"I32\",\"shape\":[],\"data_offsets\":[0,4]}}", 4)).Tensors["test"].shape);
        Assert.Equal(new long[] { 2, 0 }, SafeTensors.Deserialize(FileOf("{\"test\":{\"dtype\":\"I32\",\"shape\":[2,0],\"data_offsets\":[0, 0]}}", 0)).Tensors["test"].shape);
        // test_whitespace_padded_header: "{}" followed by CR, space, tab, LF.
        Assert.Empty(SafeTensors.ReadHeader(FileOf("{}\r \t\n", 0)).Entries);
    }

    [Fact]
    public void Each_malformed_file_names_the_rule_it_breaks()
    {
        const string Good = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        Assert.Equal(SafeTensorsRule.HeaderLengthMissing, RuleBroken(new byte[5]));
        var tooLarge = FileOf(Good, 8);
        BinaryPrimitives.WriteUInt64LittleEndian(tooLarge, 0xFFFF_FF00_0000_003CUL);
        Assert.Equal(SafeTensorsRule.HeaderTooLarge, RuleBroken(tooLarge));
        var beyond = FileOf(Good, 0)[..20];
        Assert.Equal(SafeTensorsRule.HeaderLengthBeyondFile, RuleBroken(beyond));
        var notUtf8 = new byte[] { 1, 0, 0, 0, 0, 0, 0, 0, 0xFF };
        Assert.Equal(SafeTensorsRule.HeaderNotUtf8, RuleBroken(notUtf8));
        Assert.Equal(SafeTensorsRule.HeaderNotJsonObject, RuleBroken(FileOf("{", 0)));
        Assert.Equal(SafeTensorsRule.HeaderNotJsonObject, RuleBroken(FileOf(" {}", 0)));
        Assert.Equal(SafeTensorsRule.HeaderNotJsonObject, RuleBroken(FileOf("{}x", 0)));
        Assert.Equal(SafeTensorsRule.DuplicateName, RuleBroken(FileOf(
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8)));
        Assert.Equal(SafeTensorsRule.MetadataNotStringMap, RuleBroken(FileOf("{\"__metadata__\":{\"step\":3}}", 0)));
        Assert.Equal(SafeTensorsRule.MetadataNotStringMap, RuleBroken(FileOf("{\"__metadata__\":[\"x\"]}", 0)));
        Assert.Equal(SafeTensorsRule.MalformedEntry, RuleBroken(FileOf("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8)));
        Assert.Equal(SafeTensorsRule.MalformedEntry, RuleBroken(FileOf("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8)));
        Assert.Equal(SafeTensorsRule.MalformedEntry, RuleBroken(FileOf("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8,9]}}", 8)));
        Assert.Equal(SafeTensorsRule.UnknownDtype, RuleBroken(FileOf("{\"a\":{\"dtype\":\"f32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8)));
        // test_validation_overflow: a dimension beyond 2^63, and a shape whose byte size overflows.
        Assert.Equal(SafeTensorsRule.SizeOverflow, RuleBroken(FileOf("{\"test\":{\"dtype\":\"I32\",\"shape\":[2,18446744073709551614],\"data_offsets\":[0,16]}}", 16)));
        Assert.Equal(SafeTensorsRule.SizeOverflow, RuleBroken(FileOf("{\"test\":{\"dtype\":\"I32\",\"shape\":[2,9223372036854775807],\"data_offsets\":[0,16]}}", 16)));
        // test_invalid_info: [2, 2] of I32 is 16 bytes, not 4.
        Assert.Equal(SafeTensorsRule.ShapeSizeMismatch, RuleBroken(FileOf("{\"test\":{\"dtype\":\"I32\",\"shape\":[2,2],\"data_offsets\":[0,4]}}", 4)));
        // Overlap, gap, a range that does not start at 0, a reversed range.
        Assert.Equal(SafeTensorsRule.OffsetsNotContiguous, RuleBroken(FileOf(
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12)));
        Assert.Equal(SafeTensorsRule.OffsetsNotContiguous, RuleBroken(FileOf(
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[12,20]}}", 20)));
        Assert.Equal(SafeTensorsRule.OffsetsNotContiguous, RuleBroken(FileOf("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12)));
        Assert.Equal(SafeTensorsRule.OffsetsNotContiguous, RuleBroken(FileOf("{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", 8)));
        // test_json_attack: ten tensors that all claim bytes [0, 16).
        string attack = "{" + string.Join(",", Enumerable.Range(0, 10).Select(i => $"\"weight_{i}\":{{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}")) + "}";
        Assert.Equal(SafeTensorsRule.OffsetsNotContiguous, RuleBroken(FileOf(attack, 16)));
        // test_metadata_incomplete_buffer: bytes left over after the last tensor, and bytes missing.
        Assert.Equal(SafeTensorsRule.DataLengthMismatch, RuleBroken(FileOf(Good, 8 + 34)));
        Assert.Equal(SafeTensorsRule.DataLengthMismatch, RuleBroken(FileOf(Good, 6)));
        // The good file itself passes.
        Assert.Single(SafeTensors.ReadHeader(FileOf(Good, 8)).Entries);
    }

    [Fact]
    public void Every_dtype_TorchSharp_has_and_the_metadata_survive_a_round_trip()
    {
        var generator = new Generator(3);
        var tensors = new Dictionary<string, Tensor>
        {
            ["f64"] = randn(new long[] { 3, 2 }, float64, generator: generator),
            ["f32"] = randn(new long[] { 5 }, float32, generator: generator),
            ["f16"] = randn(new long[] { 2, 2 }, generator: generator).to(float16),
            ["bf16"] = randn(new long[] { 7 }, generator: generator).to(bfloat16),
            ["i64"] = randint(-1000, 1000, new long[] { 4 }, int64, generator: generator),
            ["i32"] = randint(-1000, 1000, new long[] { 2, 3 }, int32, generator: generator),
            ["i16"] = randint(-1000, 1000, new long[] { 3 }, int16, generator: generator),
            ["i8"] = randint(-100, 100, new long[] { 3 }, int8, generator: generator),
            ["u8"] = randint(0, 255, new long[] { 9 }, uint8, generator: generator),
            ["bool"] = randint(0, 2, new long[] { 5 }, generator: generator).to(@bool),
            ["scalar"] = tensor(2.5f),
            ["empty"] = zeros(0, 4),
            ["strided"] = arange(12f).reshape(3, 4).t(),
        };
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "é → ü" };
        var (read, readMetadata) = SafeTensors.Deserialize(SafeTensors.Serialize(tensors, metadata));
        Assert.Equal(metadata, readMetadata);
        Assert.Equal(tensors.Keys.OrderBy(k => k), read.Keys.OrderBy(k => k));
        foreach (var (name, original) in tensors)
        {
            Assert.Equal(original.dtype, read[name].dtype);
            Assert.Equal(original.shape, read[name].shape);
            Assert.True(Same(original, read[name]), name);
        }
    }

    static Gpt SmallGpt(int seed)
    {
        manual_seed(seed);
        var model = new Gpt(new GptConfig(VocabularySize: 23, ContextLength: 16, Layers: 2, Heads: 2, Width: 16));
        model.eval();
        return model;
    }

    static void AssertSameState(nn.Module expected, nn.Module actual)
    {
        var a = expected.state_dict();
        var b = actual.state_dict();
        Assert.Equal(a.Keys.OrderBy(k => k), b.Keys.OrderBy(k => k));
        foreach (var (name, value) in a) Assert.True(Same(value, b[name]), name);
    }

    [Fact]
    public void A_file_PyBridge_writes_is_read_identically_by_the_book()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "pybridge.safetensors");
        var source = SmallGpt(1);
        source.save_safetensors(path);
        var header = SafeTensors.ReadHeader(File.ReadAllBytes(path));
        Assert.Equal(source.state_dict().Count, header.Entries.Count);
        var target = SmallGpt(2);
        SafeTensors.LoadInto(target, path);
        AssertSameState(source, target);
    }

    [Fact]
    public void A_file_the_book_writes_is_read_identically_by_PyBridge()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "book.safetensors");
        var source = SmallGpt(3);
        SafeTensors.SaveModule(path, source, new Dictionary<string, string> { ["format"] = "pt" });
        var target = SmallGpt(4);
        target.load_safetensors(path);
        AssertSameState(source, target);
    }

    [Fact]
    public void A_gpt_folder_reloads_into_a_fresh_model_with_identical_logits()
    {
        using var folder = new TempFolder();
        var model = SmallGpt(5);
        var vocabulary = "\n !abcdefghijklmnopqrst".ToCharArray();
        GptFolder.Save(folder.Path, model, vocabulary);
        var (reloaded, readVocabulary) = GptFolder.Load(folder.Path);
        Assert.Equal(vocabulary, readVocabulary);
        Assert.Equal(model.Config, reloaded.Config);
        var tokens = randint(0, 23, new long[] { 2, 16 }, generator: new Generator(6));
        using var noGrad = no_grad();
        Assert.True(Same(model.forward(tokens), reloaded.forward(tokens)));
    }

    [Fact]
    public void Loading_into_a_module_checks_the_same_rules_and_the_keys()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "model.safetensors");
        var model = SmallGpt(7);
        SafeTensors.SaveModule(path, model);
        byte[] good = File.ReadAllBytes(path);
        File.WriteAllBytes(path, good[..20]);
        Assert.Equal(SafeTensorsRule.HeaderLengthBeyondFile, Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.LoadInto(model, path)).Rule);
        File.WriteAllBytes(path, good.Concat(new byte[4]).ToArray());
        Assert.Equal(SafeTensorsRule.DataLengthMismatch, Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.LoadInto(model, path)).Rule);
        File.WriteAllBytes(path, SafeTensors.Serialize(new Dictionary<string, Tensor> { ["finalNorm.weight"] = ones(16) }));
        Assert.Contains("keys missing from the file", Assert.Throws<InvalidDataException>(() => SafeTensors.LoadInto(model, path)).Message);
    }
}
