using QueueInference.Pipeline.Commands;

namespace QueueInference.Pipeline.Tests.Commands;

public sealed class AppCommandsTests
{
    [Theory]
    [InlineData("2m", 120)]
    [InlineData("90s", 90)]
    [InlineData("00:05:00", 300)]
    public void TryReadProbeTimeout_AppDurationSyntax_ReadsIt(string setting, int expectedSeconds)
    {
        // Act
        bool read = AppCommands.TryReadProbeTimeout(setting, out TimeSpan timeout, out string error);

        // Assert
        Assert.True(read, error);
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), timeout);
    }

    [Fact]
    public void TryReadProbeTimeout_Absent_IsTwoMinutes()
    {
        // Act
        bool read = AppCommands.TryReadProbeTimeout(null, out TimeSpan timeout, out _);

        // Assert
        Assert.True(read);
        Assert.Equal(TimeSpan.FromMinutes(2), timeout);
    }

    [Theory]
    [InlineData("3", "a bare number has no unit")]
    [InlineData("soon", "not a duration")]
    [InlineData("0", "must be longer than 0")]
    [InlineData("00:00:00", "must be longer than 0")]
    public void TryReadProbeTimeout_NotAPositiveDuration_RefusedWithTheRule(string setting, string rule)
    {
        // Act
        bool read = AppCommands.TryReadProbeTimeout(setting, out _, out string error);

        // Assert
        Assert.False(read);
        Assert.Contains($"--timeout = '{setting}'", error, StringComparison.Ordinal);
        Assert.Contains(rule, error, StringComparison.Ordinal);
    }
}
