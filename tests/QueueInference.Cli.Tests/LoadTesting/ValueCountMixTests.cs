using QueueInference.Cli.LoadTesting;

namespace QueueInference.Cli.Tests.LoadTesting;

public sealed class ValueCountMixTests
{
    [Fact]
    public void Parse_SingleSize_EveryRequestThatSize()
    {
        ValueCountMix mix = ValueCountMix.Parse("4096");

        int[] sizes = [.. Enumerable.Range(0, 50).Select(_ => mix.Next(new Random(3)))];

        Assert.All(sizes, size => Assert.Equal(4096, size));
        Assert.Equal("4096", mix.ToString());
    }

    [Fact]
    public void Next_SingleSize_DrawsNothingFromTheRandom()
    {
        // The seed's data sequence of a seeded run must stay what it was before mixes existed.
        var used = new Random(7);
        var untouched = new Random(7);

        ValueCountMix.Seed.Next(used);

        Assert.Equal(untouched.NextDouble(), used.NextDouble());
    }

    [Fact]
    public void Next_NinetyFiveToFive_SharesWithinHalfAPercentOverOneHundredThousand()
    {
        ValueCountMix mix = ValueCountMix.Parse("5:95,4096:5");
        var random = new Random(20260101);

        int large = Enumerable.Range(0, 100_000).Count(_ => mix.Next(random) == 4096);

        Assert.InRange(large, 4500, 5500);
        Assert.Equal(0.05, mix.ShareOf(4096), 10);
        Assert.Equal(0.95, mix.ShareOf(5), 10);
        Assert.Equal(0, mix.ShareOf(6));
    }

    [Fact]
    public void Next_SameSeed_SameSequence()
    {
        ValueCountMix mix = ValueCountMix.Parse("5:95,4096:5");
        var first = new Random(11);
        var second = new Random(11);

        int[] a = [.. Enumerable.Range(0, 1000).Select(_ => mix.Next(first))];
        int[] b = [.. Enumerable.Range(0, 1000).Select(_ => mix.Next(second))];

        Assert.Equal(a, b);
    }

    [Fact]
    public void ToString_Mix_CanonicalWithoutSpaces()
    {
        ValueCountMix mix = ValueCountMix.Parse(" 5 : 95 , 4096 : 5 ");

        Assert.Equal("5:95,4096:5", mix.ToString());
        Assert.Equal(100, mix.TotalWeight);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("65537")]
    [InlineData("-5")]
    [InlineData("five")]
    [InlineData("5:0")]
    [InlineData("5:x")]
    [InlineData("5:1:2")]
    [InlineData("5,4096:5")]
    [InlineData("5:95,5:5")]
    public void TryParse_Invalid_OneSentenceNamingTheOption(string text)
    {
        bool parsed = ValueCountMix.TryParse(text, out ValueCountMix? mix, out string error);

        Assert.False(parsed);
        Assert.Null(mix);
        Assert.StartsWith("--values", error, StringComparison.Ordinal);
    }
}
