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

    [Fact]
    public void Parse_SustainedPerSecondPresent_ReadsIt()
    {
        // Arrange
        const string json = """{ "scenarios": [ { "name": "seed", "throughputPerSecond": 3804.15, "sustainedPerSecond": 4024.39, "drainSeconds": 26.287, "backlog": 100000, "maxInFlight": 20000, "ioDelaySeconds": 3 } ] }""";

        // Act
        IReadOnlyList<BenchmarkScenario> scenarios = BenchmarkResultsReader.Parse(json, "results.json");

        // Assert
        Assert.Equal(4024.39, scenarios[0].SustainedPerSecond);
    }

    [Theory]
    [InlineData(""", "sustainedPerSecond": null""")]
    [InlineData(""", "SustainedPerSecond": null""")]
    [InlineData("")]
    public void Parse_SustainedPerSecondNullOrAbsent_IsNullAndNotRequired(string sustained)
    {
        // Arrange: the benchmark leaves it null for fewer than 20 replies; older files do not have it.
        string json = $$"""{ "scenarios": [ { "name": "one-at-a-time", "throughputPerSecond": 1.19, "drainSeconds": 4.19, "backlog": 5, "maxInFlight": 1, "ioDelaySeconds": 3{{sustained}} } ] }""";

        // Act
        IReadOnlyList<BenchmarkScenario> scenarios = BenchmarkResultsReader.Parse(json, "results.json");

        // Assert
        Assert.Null(scenarios[0].SustainedPerSecond);
        Assert.Empty(scenarios[0].MissingFields());
    }

    [Theory]
    [InlineData("\"4024\"")]
    [InlineData("-1")]
    [InlineData("true")]
    [InlineData("{}")]
    public void Parse_SustainedPerSecondMistyped_ThrowsFormatExceptionNamingIt(string sustained)
    {
        // Arrange
        string json = $$"""{ "scenarios": [ { "name": "seed", "throughputPerSecond": 3804.15, "sustainedPerSecond": {{sustained}}, "drainSeconds": 26.287, "backlog": 100000, "maxInFlight": 20000, "ioDelaySeconds": 3 } ] }""";

        // Act
        var error = Assert.Throws<FormatException>(() => BenchmarkResultsReader.Parse(json, "results.json"));

        // Assert
        Assert.Contains("\"sustainedPerSecond\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"seed\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SteadyRatePerSecond_SustainedPresent_PrefersItOverTheDrainThroughput()
    {
        // Arrange
        var scenario = new BenchmarkScenario("seed", 3804.15, 26.287, 100_000, 20_000, 3, 4.1, SustainedPerSecond: 4024.39);

        // Act
        double? rate = scenario.SteadyRatePerSecond;

        // Assert
        Assert.Equal(4024.39, rate);
        Assert.Equal("sustainedPerSecond", scenario.SteadyRateField);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0.0)]
    public void SteadyRatePerSecond_NoPositiveSustainedRate_FallsBackToThroughput(double? sustained)
    {
        // Arrange
        var scenario = new BenchmarkScenario("one-at-a-time", 1.19, 4.19, 5, 1, 3, 3.7, SustainedPerSecond: sustained);

        // Act
        double? rate = scenario.SteadyRatePerSecond;

        // Assert
        Assert.Equal(1.19, rate);
        Assert.Equal("throughputPerSecond", scenario.SteadyRateField);
    }

    [Fact]
    public void SteadyRatePerSecond_NoRateAtAll_IsNull()
    {
        // Arrange: a cold start has neither.
        var scenario = new BenchmarkScenario("cold-start", null, 0.05, 1, 20_000, 0, 0.8);

        // Act
        double? rate = scenario.SteadyRatePerSecond;

        // Assert
        Assert.Null(rate);
        Assert.Null(scenario.SteadyRateField);
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
