using QueueInference.Cli.Planning.Profiles;
using Xunit;

namespace QueueInference.Cli.Tests.Planning;

public sealed class LoadProfileParserTests
{
    private static LoadProfileParser Parser(params string[] csvLines) => new(onePodCapacity: 200, readLines: _ => csvLines);

    [Fact]
    public void Parse_StepWithPodMultipleAndEnd_RisesAndFalls()
    {
        // Act
        ILoadProfile profile = Parser().Parse("step:0->10x@60s..660s");

        // Assert: 10x = 10 pods of 200 msg/s.
        Assert.Equal(0, profile.RateAt(59.9));
        Assert.Equal(2000, profile.RateAt(60));
        Assert.Equal(2000, profile.RateAt(659.9));
        Assert.Equal(0, profile.RateAt(660));
    }

    [Fact]
    public void Parse_RampInMinutes_InterpolatesLinearly()
    {
        // Act
        ILoadProfile profile = Parser().Parse("ramp:100->300@1m..3m");

        // Assert
        Assert.Equal(100, profile.RateAt(0));
        Assert.Equal(200, profile.RateAt(120), precision: 9);
        Assert.Equal(300, profile.RateAt(600));
    }

    [Fact]
    public void Parse_Spike_PeaksOnlyForItsLength()
    {
        // Act
        ILoadProfile profile = Parser().Parse("spike:1x->20x@120s+30s");

        // Assert
        Assert.Equal(200, profile.RateAt(119));
        Assert.Equal(4000, profile.RateAt(135));
        Assert.Equal(200, profile.RateAt(150));
    }

    [Fact]
    public void Parse_Sine_NeverNegative()
    {
        // Act: amplitude larger than the mean.
        ILoadProfile profile = Parser().Parse("sine:100,300,400s");

        // Assert: a quarter period is the crest, three quarters the trough (clipped at zero).
        Assert.Equal(400, profile.RateAt(100), precision: 9);
        Assert.Equal(0, profile.RateAt(300));
    }

    [Fact]
    public void Parse_CsvWithHeader_HoldsEachRateUntilTheNextRow()
    {
        // Arrange
        LoadProfileParser parser = Parser("time_seconds,rate", "0,50", "# quiet night", "60,2x", "120,0");

        // Act
        ILoadProfile profile = parser.Parse("csv:rates.csv");

        // Assert
        Assert.Equal(50, profile.RateAt(30));
        Assert.Equal(400, profile.RateAt(60));
        Assert.Equal(0, profile.RateAt(500));
    }

    [Theory]
    [InlineData("burst:0->1@1s")]
    [InlineData("step:0-10@60s")]
    [InlineData("step:0->10@soon")]
    [InlineData("ramp:0->10@60s")]
    [InlineData("step:0->10@60s..30s")]
    [InlineData("no-kind")]
    public void Parse_MalformedSpecification_ThrowsFormatException(string specification)
    {
        // Act + Assert
        Assert.Throws<FormatException>(() => Parser().Parse(specification));
    }

    [Fact]
    public void Parse_CsvRowNotNumeric_NamesTheLine()
    {
        // Arrange
        LoadProfileParser parser = Parser("0,10", "sixty,20");

        // Act
        var error = Assert.Throws<FormatException>(() => parser.Parse("csv:bad.csv"));

        // Assert
        Assert.Contains("bad.csv:2", error.Message, StringComparison.Ordinal);
    }
}
