using QueueInference.Cli.Planning.Capacity;
using Xunit;

namespace QueueInference.Cli.Tests.Planning;

public sealed class BenchmarkResultsReaderTests
{
    private const string TwoScenarios = """
        {
          "runId": "bench-1",
          "scenarios": [
            { "name": "seed", "throughputPerSecond": 812.5, "drainSeconds": 127.1, "backlog": 100000,
              "maxInFlight": 20000, "ioDelaySeconds": 3, "coldStartSeconds": 9.5, "p99Seconds": 4.2 },
            { "Name": "small-inflight", "ThroughputPerSecond": 160, "DrainSeconds": 63, "Backlog": 10000,
              "MaxInFlight": 500, "IoDelaySeconds": 3 }
          ]
        }
        """;

    [Fact]
    public void Parse_ContractWithExtraFieldsAndPascalCase_ReadsEveryScenario()
    {
        // Act
        IReadOnlyList<BenchmarkScenario> scenarios = BenchmarkResultsReader.Parse(TwoScenarios, "results.json");

        // Assert
        Assert.Equal(new BenchmarkScenario("seed", 812.5, 127.1, 100_000, 20_000, 3, 9.5), scenarios[0]);
        Assert.Equal(new BenchmarkScenario("small-inflight", 160, 63, 10_000, 500, 3, null), scenarios[1]);
    }

    [Fact]
    public void Select_CapacityScenarioMissingAField_ErrorNamesFieldAndScenario()
    {
        // Arrange
        const string json = """{ "scenarios": [ { "name": "seed", "throughputPerSecond": 800, "backlog": 1, "maxInFlight": 1, "ioDelaySeconds": 3 } ] }""";
        IReadOnlyList<BenchmarkScenario> scenarios = BenchmarkResultsReader.Parse(json, "results.json");

        // Act
        var error = Assert.Throws<FormatException>(() => BenchmarkResultsReader.Select(scenarios, "seed", "results.json"));

        // Assert
        Assert.Contains("\"drainSeconds\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"seed\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ScenarioWithNullThroughputAndExtraFields_KeepsItWithTheFieldAbsent()
    {
        // Arrange: a cold-start scenario has no throughput; a steady one says what rate it offered.
        const string json = """
            { "scenarios": [
              { "name": "cold-start", "throughputPerSecond": null, "drainSeconds": 0.02, "backlog": 1, "maxInFlight": 20000, "ioDelaySeconds": 0, "coldStartSeconds": 1.2, "transformationMode": "Fast" },
              { "name": "steady", "throughputPerSecond": 1015, "drainSeconds": 63, "backlog": 0, "maxInFlight": 20000, "ioDelaySeconds": 3, "offeredRatePerSecond": 1015.8 } ] }
            """;

        // Act
        IReadOnlyList<BenchmarkScenario> scenarios = BenchmarkResultsReader.Parse(json, "results.json");

        // Assert
        Assert.Equal(["throughputPerSecond"], scenarios[0].MissingFields());
        Assert.Equal("Fast", scenarios[0].TransformationMode);
        Assert.Equal(1015.8, scenarios[1].OfferedRatePerSecond);
    }

    [Fact]
    public void Parse_NegativeNumber_IsRejected()
    {
        // Arrange
        const string json = """{ "scenarios": [ { "name": "seed", "throughputPerSecond": -1, "drainSeconds": 1, "backlog": 1, "maxInFlight": 1, "ioDelaySeconds": 3 } ] }""";

        // Act + Assert
        var error = Assert.Throws<FormatException>(() => BenchmarkResultsReader.Parse(json, "results.json"));
        Assert.Contains("throughputPerSecond", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{ \"results\": [] }")]
    [InlineData("{ \"scenarios\": [] }")]
    [InlineData("not json")]
    public void Parse_NotTheContract_ThrowsFormatException(string json)
    {
        // Act + Assert
        Assert.Throws<FormatException>(() => BenchmarkResultsReader.Parse(json, "results.json"));
    }

    [Fact]
    public void Select_UnknownNameWithSeveralScenarios_ListsTheNames()
    {
        // Arrange
        IReadOnlyList<BenchmarkScenario> scenarios = BenchmarkResultsReader.Parse(TwoScenarios, "results.json");

        // Act
        var error = Assert.Throws<FormatException>(() => BenchmarkResultsReader.Select(scenarios, "peak", "results.json"));

        // Assert
        Assert.Contains("seed, small-inflight", error.Message, StringComparison.Ordinal);
    }
}
