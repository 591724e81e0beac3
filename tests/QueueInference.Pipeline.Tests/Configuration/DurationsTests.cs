using System.ComponentModel;
using Microsoft.Extensions.Configuration;
using QueueInference.Pipeline.Configuration;

namespace QueueInference.Pipeline.Tests.Configuration;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("3s", 3_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("0.1s", 100)]
    [InlineData("1m", 60_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData(" 3s ", 3_000)]
    [InlineData("00:00:03", 3_000)]
    [InlineData("00:00:00.250", 250)]
    [InlineData("1.00:00:00", 86_400_000)]
    [InlineData("0", 0)]
    [InlineData("-1s", -1_000)]
    public void TryParse_AcceptedForm_ReadsIt(string text, double expectedMilliseconds)
    {
        // Act
        bool parsed = Durations.TryParse(text, out TimeSpan value, out string error);

        // Assert
        Assert.True(parsed, error);
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), value);
    }

    [Theory]
    [InlineData("3", "a bare number has no unit")]
    [InlineData("60", "a bare number has no unit")]
    [InlineData("2.5", "a bare number has no unit")]
    [InlineData("abc", "not a duration")]
    [InlineData("3 days", "not a duration")]
    [InlineData("3d", "not a duration")]
    [InlineData("1M", "not a duration")]
    [InlineData("1:99:00", "not a duration")]
    [InlineData("", "empty")]
    [InlineData("99999999999999h", "longer than a duration can be")]
    public void TryParse_NotAcceptedForm_ExplainsAndShowsTheForms(string text, string reason)
    {
        // Act
        bool parsed = Durations.TryParse(text, out _, out string error);

        // Assert
        Assert.False(parsed);
        Assert.StartsWith(reason, error, StringComparison.Ordinal);
        if (reason != "longer than a duration can be")
        {
            Assert.EndsWith(Durations.AcceptedForms, error, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(3_000, "3s")]
    [InlineData(1_500, "1500ms")]
    [InlineData(120_000, "2m")]
    [InlineData(7_200_000, "2h")]
    [InlineData(0, "0")]
    [InlineData(86_400_000, "24h")]
    public void Format_WholeUnit_ShortestForm(double milliseconds, string expected)
    {
        // Act
        string text = Durations.Format(TimeSpan.FromMilliseconds(milliseconds));

        // Assert
        Assert.Equal(expected, text);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Durations.Parse(text));
    }

    [Fact]
    public void UseForTimeSpanSettings_ConfigurationBinder_ReadsUnitsAndRefusesBareNumbers()
    {
        // Arrange
        Durations.UseForTimeSpanSettings();
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Good:Value"] = "500ms", ["Nullable:Value"] = "2m", ["Bad:Value"] = "3" })
            .Build();

        // Act
        var good = configuration.GetSection("Good").Get<Holder>();
        var nullable = configuration.GetSection("Nullable").Get<NullableHolder>();
        var error = Assert.Throws<InvalidOperationException>(() => configuration.GetSection("Bad").Get<Holder>());

        // Assert
        Assert.Equal(TimeSpan.FromMilliseconds(500), good!.Value);
        Assert.Equal(TimeSpan.FromMinutes(2), nullable!.Value);
        Assert.StartsWith("a bare number has no unit", error.InnerException!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseForTimeSpanSettings_WritingATimeSpan_IsUnchanged()
    {
        // Arrange
        Durations.UseForTimeSpanSettings();
        TypeConverter converter = TypeDescriptor.GetConverter(typeof(TimeSpan));

        // Act
        string? text = converter.ConvertToInvariantString(TimeSpan.FromSeconds(3));

        // Assert
        Assert.IsType<DurationConverter>(converter);
        Assert.Equal("00:00:03", text);
    }

    private sealed class Holder
    {
        public TimeSpan Value { get; set; }
    }

    private sealed class NullableHolder
    {
        public TimeSpan? Value { get; set; }
    }
}
