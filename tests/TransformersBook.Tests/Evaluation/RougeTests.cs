using TransformersBook.Evaluation;
using Xunit;

namespace TransformersBook.Tests;

/// <summary>ROUGE-1/2/L against rouge-score's published test values (rouge/rouge_scorer_test.py, the cases without stemming).</summary>
public class RougeTests
{
    // The first two lines of rouge/testdata/target.txt and prediction.txt; the expected values there come from ROUGE-1.5.5.
    const string Target0 = @"ZfbCUIUuePaiLVUlCaUXxkpu XPeWing tUHfPMuZ',-Xd Y BrUgVJing M-HV.-DgdDaY.rFDJCRing Ht-LM EKBDXkME,yz'RBr q'wtion wIojNbN wL,b .a-'XdQggyFl jB-RPP'iyOIcUxer tKM L";
    const string Target1 = @"KsJdPByEtAor fE-Qg Dpdbring cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMtion psing sbKao Q m qiing LMmer HqqLFXe,XPY,J XsurkMer ,ed nB'wH'bWVHjWFEing tQ.saefZwJtKrTlixYpMMsJing UCAPwNHeYVjDing c T BUySKtion gMPfJpwGw p'NvxAoping eu pBwMBKV'I DNxqelhu,PHPxDEq,mtion SN";
    const string Prediction0 = @"rFDJCRtion Ht-LM EKtDXkME,yz'RBr q'wer wrojNbN wL,b .a-'XdQggyFl jB-RPP'iyOIcUxi";
    const string Prediction1 = @"n cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMer pstion sbKao Q m qier LMmed HqqLFXe,XPY,J XsurkMeo ,ed nB'wH'bWVHjWFEer tQ.saefZwJtKrTlixYpMMNJtion UCAPwNHeYVjD";

    static void AssertScore(RougeScore s, double precision, double recall, double f1, double tolerance = 1e-7)
    {
        Assert.Equal(precision, s.Precision, tolerance);
        Assert.Equal(recall, s.Recall, tolerance);
        Assert.Equal(f1, s.F1, tolerance);
    }

    [Fact]
    public void Rouge1() => AssertScore(Rouge.N("testing one two", "testing", 1), 1, 1.0 / 3, 0.5);

    [Fact]
    public void Rouge2() => AssertScore(Rouge.N("testing one two", "testing one", 2), 1, 0.5, 2.0 / 3);

    [Fact]
    public void RougeLConsecutiveAndNot()
    {
        AssertScore(Rouge.L("testing one two", "testing one"), 1, 2.0 / 3, 0.8);
        AssertScore(Rouge.L("testing one two", "testing two"), 1, 2.0 / 3, 0.8);
        AssertScore(Rouge.N("testing one two", "testing one", 1), 1, 2.0 / 3, 0.8);
    }

    [Fact]
    public void EmptyPredictionScoresZero()
    {
        AssertScore(Rouge.N("testing one two", "", 1), 0, 0, 0);
        AssertScore(Rouge.N("testing one two", "", 2), 0, 0, 0);
        AssertScore(Rouge.L("testing one two", ""), 0, 0, 0);
    }

    [Fact]
    public void AgainstRouge155()
    {
        AssertScore(Rouge.N(Target0, Prediction0, 1), 0.68750, 0.40741, 0.51163, 5e-6);
        AssertScore(Rouge.N(Target1, Prediction1, 1), 0.65385, 0.40476, 0.50000, 5e-6);
        AssertScore(Rouge.N(Target0, Prediction0, 2), 0.53333, 0.30769, 0.39024, 5e-6);
        AssertScore(Rouge.N(Target1, Prediction1, 2), 0.48000, 0.29268, 0.36364, 5e-6);
        AssertScore(Rouge.L(Target0, Prediction0), 0.68750, 0.40741, 0.51163, 5e-6);
        AssertScore(Rouge.L(Target1, Prediction1), 0.65385, 0.40476, 0.50000, 5e-6);
    }

    [Fact]
    public void LongestCommonSubsequence()
    {
        Assert.Equal(3, Rouge.LongestCommonSubsequence(new[] { 1, 2, 3, 4, 5 }, new[] { 2, 5, 3, 4 }));
        Assert.Equal(0, Rouge.LongestCommonSubsequence(new[] { 1, 2, 3, 4, 5 }, new[] { 8, 9 }));
    }

    [Fact]
    public void TokenizerLowercasesAndSplitsOnNonAlphanumerics() =>
        Assert.Equal(new[] { "it", "s", "a", "test", "42" }, Rouge.Tokenize("It's a TEST, #42!"));
}
