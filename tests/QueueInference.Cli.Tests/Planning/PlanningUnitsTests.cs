using QueueInference.Cli.Planning;

namespace QueueInference.Cli.Tests.Planning;

public sealed class PlanningUnitsTests
{
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("500ms", 0.5)]
    [InlineData("5m", 300)]
    [InlineData("1h", 3600)]
    [InlineData("00:01:30", 90)]
    public void ParseSeconds_DurationWithUnit_Seconds(string text, double expected)
    {
        // Act
        double seconds = PlanningUnits.ParseSeconds(text);

        // Assert
        Assert.Equal(expected, seconds, 9);
    }

    [Theory]
    [InlineData("90", "a bare number has no unit")]
    [InlineData("soon", "not a duration")]
    [InlineData("-5s", "must not be negative")]
    public void ParseSeconds_NoUnitOrNegative_ExplainsWhy(string text, string reason)
    {
        // Act
        var error = Assert.Throws<FormatException>(() => PlanningUnits.ParseSeconds(text));

        // Assert
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"'{text}'", error.Message, StringComparison.Ordinal);
    }
}
