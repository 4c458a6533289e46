using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using TransformersBook.Blocks;
using TransformersBook.Models;

namespace TransformersBook.ModelFiles;

/// <summary>
/// A model folder in the Hugging Face layout for the book's GPT: <c>config.json</c> (the sizes, under GPT-2's key
/// names n_vocab → vocab_size, n_ctx → n_positions, n_layer, n_head, n_embd), <c>model.safetensors</c> (the state
/// dict) and <c>tokenizer.json</c> (the character vocabulary, as a word-level model in the layout of Hugging Face's
/// tokenizers library, with every character its own token). <see cref="Load"/> rebuilds the model from the folder alone.
/// </summary>
public static class GptFolder
{
    /// <summary>The configuration file's name.</summary>
    public const string ConfigFile = "config.json";

    /// <summary>The weights file's name.</summary>
    public const string WeightsFile = "model.safetensors";

    /// <summary>The tokenizer file's name.</summary>
    public const string TokenizerFile = "tokenizer.json";

    /// <summary>The <c>model_type</c> written into config.json and required when reading it.</summary>
    public const string ModelType = "book-gpt";

    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes <paramref name="model"/> and its character <paramref name="vocabulary"/> into <paramref name="folder"/>.</summary>
    /// <param name="folder">The folder (created if missing; the three files are overwritten).</param>
    /// <param name="model">The trained GPT.</param>
    /// <param name="vocabulary">The characters, a character's token id being its index.</param>
    public static void Save(string folder, Gpt model, IReadOnlyList<char> vocabulary)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(vocabulary);
        if (vocabulary.Count != model.Config.VocabularySize)
            throw new ArgumentException($"The vocabulary has {vocabulary.Count} characters; the model expects {model.Config.VocabularySize}.", nameof(vocabulary));
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, ConfigFile), ConfigJson(model.Config).ToJsonString(Indented));
        SafeTensors.SaveModule(Path.Combine(folder, WeightsFile), model, new Dictionary<string, string> { ["format"] = "pt" });
        File.WriteAllText(Path.Combine(folder, TokenizerFile), TokenizerJson(vocabulary).ToJsonString(Indented));
    }

    /// <summary>Rebuilds the GPT (on the CPU, in evaluation mode) and its vocabulary from a folder <see cref="Save"/> wrote.</summary>
    /// <param name="folder">The folder.</param>
    public static (Gpt Model, IReadOnlyList<char> Vocabulary) Load(string folder)
    {
        var config = ReadConfig(File.ReadAllText(Path.Combine(folder, ConfigFile)));
        var vocabulary = ReadVocabulary(File.ReadAllText(Path.Combine(folder, TokenizerFile)));
        if (vocabulary.Count != config.VocabularySize)
            throw new InvalidDataException($"{TokenizerFile} has {vocabulary.Count} tokens but {ConfigFile} says vocab_size = {config.VocabularySize}.");
        var model = new Gpt(config);
        SafeTensors.LoadInto(model, Path.Combine(folder, WeightsFile));
        model.eval();
        return (model, vocabulary);
    }

    /// <summary>The config.json object for <paramref name="config"/>.</summary>
    /// <param name="config">The GPT's sizes.</param>
    public static JsonObject ConfigJson(GptConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new JsonObject
        {
            ["model_type"] = ModelType,
            ["architectures"] = new JsonArray("Gpt"),
            ["vocab_size"] = config.VocabularySize,
            ["n_positions"] = config.ContextLength,
            ["n_layer"] = config.Layers,
            ["n_head"] = config.Heads,
            ["n_embd"] = config.Width,
            ["dropout"] = config.Dropout,
            ["feed_forward"] = config.FeedForwardKind.ToString(),
            ["torch_dtype"] = "float32",
        };
    }

    /// <summary>The <see cref="GptConfig"/> a config.json holds.</summary>
    /// <param name="json">The file's text.</param>
    public static GptConfig ReadConfig(string json)
    {
        var root = JsonNode.Parse(json)?.AsObject() ?? throw new InvalidDataException($"{ConfigFile} is not a JSON object.");
        string type = (string?)root["model_type"] ?? "";
        if (type != ModelType) throw new InvalidDataException($"{ConfigFile} has model_type '{type}', not '{ModelType}'.");
        int Number(string key) => (int?)root[key] ?? throw new InvalidDataException($"{ConfigFile} lacks {key}.");
        return new GptConfig(Number("vocab_size"), Number("n_positions"), Number("n_layer"), Number("n_head"), Number("n_embd"),
            (double?)root["dropout"] ?? 0.0,
            Enum.Parse<FeedForwardKind>((string?)root["feed_forward"] ?? nameof(FeedForwardKind.Gelu)));
    }

    /// <summary>A tokenizer.json object: a word-level model whose vocabulary maps each character to its id.</summary>
    /// <param name="vocabulary">The characters, a character's token id being its index.</param>
    public static JsonObject TokenizerJson(IReadOnlyList<char> vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        var vocab = new JsonObject();
        for (int i = 0; i < vocabulary.Count; i++) vocab[vocabulary[i].ToString()] = i;
        return new JsonObject
        {
            ["version"] = "1.0",
            ["normalizer"] = null,
            ["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "Split",
                ["pattern"] = new JsonObject { ["Regex"] = "(?s)." },
                ["behavior"] = "Isolated",
                ["invert"] = false,
            },
            ["model"] = new JsonObject { ["type"] = "WordLevel", ["vocab"] = vocab, ["unk_token"] = vocabulary.Count > 0 ? vocabulary[0].ToString() : "" },
        };
    }

    /// <summary>The characters, in id order, of a tokenizer.json <see cref="TokenizerJson"/> wrote.</summary>
    /// <param name="json">The file's text.</param>
    public static IReadOnlyList<char> ReadVocabulary(string json)
    {
        var vocab = JsonNode.Parse(json)?["model"]?["vocab"]?.AsObject() ?? throw new InvalidDataException($"{TokenizerFile} has no model.vocab.");
        var characters = new char[vocab.Count];
        var filled = new bool[vocab.Count];
        foreach (var (token, id) in vocab)
        {
            int index = (int?)id ?? -1;
            if (token.Length != 1 || index < 0 || index >= characters.Length || filled[index])
                throw new InvalidDataException($"{TokenizerFile}: token '{token}' → {id} is not one character with a unique id below {characters.Length}.");
            characters[index] = token[0];
            filled[index] = true;
        }
        return characters;
    }
}
