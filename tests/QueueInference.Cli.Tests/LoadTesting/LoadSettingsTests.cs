using QueueInference.Cli.LoadTesting;

namespace QueueInference.Cli.Tests.LoadTesting;

public sealed class LoadSettingsTests
{
    [Fact]
    public void Validate_CountOnly_NoErrors()
    {
        var settings = new LoadSettings { Count = 100 };

        Assert.Empty(settings.Validate());
    }

    [Fact]
    public void Validate_RateWithDuration_NoErrors()
    {
        var settings = new LoadSettings { Rate = 50, Duration = TimeSpan.FromSeconds(60) };

        Assert.Empty(settings.Validate());
    }

    [Theory]
    [InlineData(-5.0)]
    [InlineData(0.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Validate_BadRate_ExplainsRate(double rate)
    {
        var settings = new LoadSettings { Rate = rate, Duration = TimeSpan.FromSeconds(10) };

        Assert.Contains(settings.Validate(), e => e.Contains("--rate must be", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_RateWithoutDuration_AsksForDuration()
    {
        var settings = new LoadSettings { Rate = 10 };

        Assert.Contains(settings.Validate(), e => e.Contains("positive --duration", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_NeitherCountNorRate_AsksForOne()
    {
        var settings = new LoadSettings();

        Assert.Contains(settings.Validate(), e => e.Contains("either --count", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_CountAndRate_AsksForOne()
    {
        var settings = new LoadSettings { Count = 5, Rate = 5, Duration = TimeSpan.FromSeconds(1) };

        Assert.Contains(settings.Validate(), e => e.Contains("either --count", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("localhost:5672")]
    [InlineData("http://localhost:5672/")]
    [InlineData("")]
    public void Validate_NotAnAmqpUri_RejectsBroker(string broker)
    {
        var settings = new LoadSettings { Count = 1, ConnectionString = broker };

        Assert.Contains(settings.Validate(), e => e.Contains("--broker", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    public void Validate_ConnectionsOutOfRange_Rejected(int connections)
    {
        var settings = new LoadSettings { Count = 1, Connections = connections };

        Assert.Contains(settings.Validate(), e => e.Contains("--connections", StringComparison.Ordinal));
    }
}
