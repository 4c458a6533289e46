using TransformersBook.Evaluation;
using Xunit;

namespace TransformersBook.Tests;

/// <summary>Exact match and token F1 as in SQuAD's evaluation script, against hand-computed values.</summary>
public class AnswerMatchTests
{
    [Fact]
    public void NormalizationDropsCasePunctuationArticlesAndSpaces() =>
        Assert.Equal("cat sat on mat", AnswerMatch.Normalize("The  Cat sat, on a mat!"));

    [Fact]
    public void ExactMatchAfterNormalization()
    {
        Assert.Equal(1.0, AnswerMatch.ExactMatch("the Eiffel Tower.", "Eiffel tower"));
        Assert.Equal(0.0, AnswerMatch.ExactMatch("Eiffel", "Eiffel tower"));
        Assert.Equal(1.0, AnswerMatch.ExactMatch("Paris", new[] { "London", "paris" }));
    }

    [Fact]
    public void TokenF1CountsCommonTokens()
    {
        // prediction {in, 1889}, gold {1889}: P = 1/2, R = 1, F1 = 2/3.
        Assert.Equal(2.0 / 3, AnswerMatch.TokenF1("in 1889", "1889"), 12);
        // {b, b, c} against {b, c, d}: common tokens b and c, P = 2/3, R = 2/3.
        Assert.Equal(2.0 / 3, AnswerMatch.TokenF1("b b c", "b c d"), 12);
        Assert.Equal(0.0, AnswerMatch.TokenF1("the", "a"));   // v1.1: nothing left after normalisation, no common token
    }
}
