using TransformersBook.Evaluation;
using Xunit;

namespace TransformersBook.Tests;

/// <summary>The fact base, the risk–coverage curve with AURC, and AUROC, against hand-computed values.</summary>
public class FactualityTests
{
    [Fact]
    public void FactBaseNormalisesAndGivesThreeVerdicts()
    {
        var facts = new FactBase();
        facts.Add("Varnel", "capital", "Otrup");
        facts.Add("Mira Kell", "born", "1834");
        Assert.Equal(2, facts.Count);
        Assert.Equal(FactVerdict.Supported, facts.Check("varnel", "Capital", "  the OTRUP."));
        Assert.Equal(FactVerdict.Contradicted, facts.Check("Varnel", "capital", "Brisk"));
        Assert.Equal(FactVerdict.NotInBase, facts.Check("Varnel", "born", "1834"));
        Assert.Equal("otrup", facts.Lookup("VARNEL", "capital"));
        Assert.Null(facts.Lookup("Otrup", "capital"));
        Assert.Throws<ArgumentException>(() => facts.Add("varnel", "capital", "Brisk"));
    }

    [Fact]
    public void CurveAndAurcByHand()
    {
        // Sorted by confidence: 0.9 ✓, 0.8 ✗, 0.7 ✓, 0.6 ✗ → risks 0, 1/2, 1/3, 1/2; AURC = (0 + 1/2 + 1/3 + 1/2) / 4 = 1/3.
        double[] confidence = { 0.6, 0.9, 0.7, 0.8 };
        bool[] correct = { false, true, true, false };
        var curve = RiskCoverage.Curve(confidence, correct);
        Assert.Equal(new[] { 0.25, 0.5, 0.75, 1.0 }, curve.Select(p => p.Coverage));
        Assert.Equal(new[] { 0.0, 0.5, 1.0 / 3, 0.5 }, curve.Select(p => p.Risk));
        Assert.Equal(new[] { 0.9, 0.8, 0.7, 0.6 }, curve.Select(p => p.Threshold));
        Assert.Equal(1.0 / 3, RiskCoverage.Aurc(confidence, correct), 12);
        Assert.Equal(0.5, RiskCoverage.AtCoverage(confidence, correct, 0.5).Risk, 12);
        Assert.Equal(1.0 / 3, RiskCoverage.AtCoverage(confidence, correct, 0.6).Risk, 12);
    }

    [Fact]
    public void TiesAreKeptOrDroppedTogether()
    {
        // 0.9 ✓; then 0.5 ✗ and 0.5 ✓ together: points (1/3, 0) and (1, 1/3); AURC = (0 + 1/3 + 1/3) / 3 = 2/9.
        double[] confidence = { 0.5, 0.9, 0.5 };
        bool[] correct = { false, true, true };
        var curve = RiskCoverage.Curve(confidence, correct);
        Assert.Equal(2, curve.Count);
        Assert.Equal(1.0 / 3, curve[0].Coverage, 12);
        Assert.Equal(1.0 / 3, curve[1].Risk, 12);
        Assert.Equal(2.0 / 9, RiskCoverage.Aurc(confidence, correct), 12);
        Assert.Equal(1.0, RiskCoverage.AtCoverage(confidence, correct, 0.5).Coverage, 12);
    }

    [Fact]
    public void AurocCountsPairsAndHalfTies()
    {
        // Positives {0.9, 0.5}, negatives {0.5, 0.1}: pairs 0.9>0.5, 0.9>0.1, 0.5=0.5 (½), 0.5>0.1 → 3.5 / 4.
        Assert.Equal(0.875, Auroc.Of(new[] { 0.9, 0.5 }, new[] { 0.5, 0.1 }), 12);
        Assert.Equal(1.0, Auroc.Of(new[] { 2.0 }, new[] { 1.0 }), 12);
        Assert.Equal(0.5, Auroc.Of(new[] { 1.0 }, new[] { 1.0 }), 12);
        Assert.Equal(0.0, Auroc.Of(new[] { 0.0 }, new[] { 1.0, 2.0 }), 12);
    }
}
