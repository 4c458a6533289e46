namespace TransformersBook.Instructions;

/// <summary>
/// A chat template for a character-level model: each character of an alphabet is one token (ids 0 … n−1), and three
/// role markers follow as special tokens that no text can produce — <see cref="UserMarker"/> (n),
/// <see cref="AssistantMarker"/> (n + 1) and <see cref="EndMarker"/> (n + 2). One exchange is laid out as
/// <c>&lt;|user|&gt; instruction &lt;|assistant|&gt; response &lt;|end|&gt;</c>; the response and the end marker are the
/// tokens the model must learn to produce, so the <see cref="ChatExample.ResponseMask"/> is true on exactly those.
/// </summary>
public sealed class ChatTemplate
{
    /// <summary>How the user marker is written in decoded text.</summary>
    public const string UserText = "<|user|>";

    /// <summary>How the assistant marker is written in decoded text.</summary>
    public const string AssistantText = "<|assistant|>";

    /// <summary>How the end marker is written in decoded text.</summary>
    public const string EndText = "<|end|>";

    readonly Dictionary<char, long> index;

    /// <param name="alphabet">The characters the model reads and writes, each once; their order gives the ids.</param>
    public ChatTemplate(IEnumerable<char> alphabet)
    {
        ArgumentNullException.ThrowIfNull(alphabet);
        Alphabet = alphabet.ToArray();
        index = new Dictionary<char, long>();
        foreach (char c in Alphabet)
            if (!index.TryAdd(c, index.Count)) throw new ArgumentException($"the alphabet holds '{c}' twice.", nameof(alphabet));
    }

    /// <summary>The characters, in id order.</summary>
    public IReadOnlyList<char> Alphabet { get; }

    /// <summary>The id of <c>&lt;|user|&gt;</c>, which opens an instruction.</summary>
    public long UserMarker => Alphabet.Count;

    /// <summary>The id of <c>&lt;|assistant|&gt;</c>, which closes the instruction and opens the response.</summary>
    public long AssistantMarker => Alphabet.Count + 1;

    /// <summary>The id of <c>&lt;|end|&gt;</c>, which closes the response.</summary>
    public long EndMarker => Alphabet.Count + 2;

    /// <summary>Characters plus the three markers: the model's n_vocab.</summary>
    public int VocabularySize => Alphabet.Count + 3;

    /// <summary>True if <paramref name="c"/> is in the alphabet.</summary>
    public bool Knows(char c) => index.ContainsKey(c);

    /// <summary>The ids of the text's characters; characters outside the alphabet are dropped.</summary>
    public long[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Where(index.ContainsKey).Select(c => index[c]).ToArray();
    }

    /// <summary>Text from ids, with the markers written as <see cref="UserText"/>, <see cref="AssistantText"/>, <see cref="EndText"/>.</summary>
    public string Decode(IEnumerable<long> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var text = new System.Text.StringBuilder();
        foreach (long id in ids)
        {
            if (id >= 0 && id < Alphabet.Count) text.Append(Alphabet[(int)id]);
            else if (id == UserMarker) text.Append(UserText);
            else if (id == AssistantMarker) text.Append(AssistantText);
            else if (id == EndMarker) text.Append(EndText);
            else throw new ArgumentOutOfRangeException(nameof(ids), $"id {id} is neither a character nor a marker.");
        }
        return text.ToString();
    }

    /// <summary>The exchange as text, markers included: what <see cref="Example"/> encodes.</summary>
    public string Render(string instruction, string response) => UserText + instruction + AssistantText + response + EndText;

    /// <summary>The prompt a model answers: <c>&lt;|user|&gt; instruction &lt;|assistant|&gt;</c>, to be continued until <see cref="EndMarker"/>.</summary>
    public long[] Prompt(string instruction) => [UserMarker, .. Encode(instruction), AssistantMarker];

    /// <summary>One training exchange: the tokens, and a mask that is true on the response's characters and the end marker only.</summary>
    public ChatExample Example(string instruction, string response)
    {
        var prompt = Prompt(instruction);
        var answer = Encode(response);
        long[] tokens = [.. prompt, .. answer, EndMarker];
        var mask = new bool[tokens.Length];
        for (int i = prompt.Length; i < tokens.Length; i++) mask[i] = true;
        return new ChatExample(tokens, mask);
    }

    /// <summary>
    /// The response a model produced after a prompt: the ids up to (not including) the first <see cref="EndMarker"/>,
    /// decoded, with any marker other than the end dropped.
    /// </summary>
    public string Response(IEnumerable<long> generated)
    {
        ArgumentNullException.ThrowIfNull(generated);
        return Decode(generated.TakeWhile(id => id != EndMarker).Where(id => id >= 0 && id < Alphabet.Count));
    }
}
