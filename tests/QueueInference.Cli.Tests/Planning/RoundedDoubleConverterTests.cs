using System.Text.Json;
using QueueInference.Cli.Planning.Output;
using Xunit;

namespace QueueInference.Cli.Tests.Planning;

public sealed class RoundedDoubleConverterTests
{
    [Fact]
    public void Serialize_FluidRoundingNoise_WritesThreeDecimalsAtMost()
    {
        // Act
        string json = JsonSerializer.Serialize(new { acked = 5999999.999999832, ratio = 1.23456 }, PlanJson.Options);

        // Assert
        Assert.Contains("\"acked\": 6000000", json, StringComparison.Ordinal);
        Assert.Contains("\"ratio\": 1.235", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_Infinity_WritesANamedLiteral()
    {
        // Act
        string json = JsonSerializer.Serialize(new { ratio = double.PositiveInfinity }, PlanJson.Options);

        // Assert
        Assert.Contains("\"Infinity\"", json, StringComparison.Ordinal);
    }
}
