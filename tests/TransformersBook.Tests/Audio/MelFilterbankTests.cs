using TransformersBook.Audio;

namespace TransformersBook.Tests;

public class MelFilterbankTests
{
    [Fact]
    public void The_mel_scale_matches_FftSharp_and_its_round_trip()
    {
        foreach (double hertz in new[] { 0.0, 100, 440, 1000, 4000, 8000, 11025 })
        {
            Assert.Equal(FftSharp.Mel.FromFreq(hertz), MelFilterbank.HertzToMel(hertz), 6);
            Assert.Equal(hertz, MelFilterbank.MelToHertz(MelFilterbank.HertzToMel(hertz)), 6);
        }
        // By hand: 2595 log10(1 + 1000/700) = 999.986 mel — the scale was made to put 1000 Hz at about 1000 mel.
        Assert.Equal(999.986, MelFilterbank.HertzToMel(1000), 3);
    }

    [Fact]
    public void Filters_are_triangles_that_overlap_by_half()
    {
        var filters = MelFilterbank.Create(10, 512, 16000, 0, 8000);
        Assert.Equal(10, filters.GetLength(0));
        Assert.Equal(257, filters.GetLength(1));
        for (int j = 0; j < 10; j++)
        {
            var row = Enumerable.Range(0, 257).Select(k => filters[j, k]).ToArray();
            Assert.InRange(row.Max(), 0.5, 1.0);
            Assert.True(row.All(w => w >= 0));
        }
        // Between two filters' peaks the rising edge of one and the falling edge of the other sum to 1.
        double edge = MelFilterbank.MelToHertz(MelFilterbank.HertzToMel(8000) * 2.5 / 11);
        int bin = (int)Math.Round(edge * 512 / 16000);
        Assert.Equal(1.0, filters[1, bin] + filters[2, bin], 9);
    }
}
