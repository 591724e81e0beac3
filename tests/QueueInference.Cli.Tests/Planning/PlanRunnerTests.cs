using System.Text.Json;
using QueueInference.Cli.Planning;
using QueueInference.Cli.Planning.Autoscaling;
using QueueInference.Cli.Planning.Simulation;
using Xunit;

namespace QueueInference.Cli.Tests.Planning;

public sealed class PlanRunnerTests : IDisposable
{
    // The seed row of run a27e88e7 (results/history/benchmark-a27e88e7.json), and a one-at-a-time row as run ac9087b0 measured it.
    private const string SeedRow = """
        { "name": "seed", "backlog": 100000, "maxInFlight": 20000, "ioDelaySeconds": 3, "transformationMode": "Fast",
          "drainSeconds": 26.287, "throughputPerSecond": 3804.15, "sustainedPerSecond": 4024.39, "coldStartSeconds": 4.09 }
        """;

    private const string OneAtATimeRow = """
        { "name": "one-at-a-time", "backlog": 5, "maxInFlight": 1, "ioDelaySeconds": 3, "transformationMode": "Fast",
          "drainSeconds": 15.09, "throughputPerSecond": 0.331, "sustainedPerSecond": null, "coldStartSeconds": 3.7 }
        """;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"qi-plan-tests-{Guid.NewGuid():N}");

    public PlanRunnerTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task RunAsync_ValidateSeedRowWithSustainedRate_SeedDrainWithinTenPercent()
    {
        // Arrange
        string results = WriteResults(SeedRow, OneAtATimeRow);
        using var console = new StringWriter();

        // Act
        int exitCode = await new PlanRunner(Request(validateAgainst: results), console).RunAsync(CancellationToken.None);

        // Assert: 3 s + 100000 / 4024.39 msg/s = 27.85 s against 26.29 s; the drain throughput gave 29.3 s (1.11).
        Assert.Equal(PlanRunner.ExitOk, exitCode);
        using JsonDocument validation = ReadJson("validation.json");
        JsonElement seed = Comparison(validation, "seed");
        Assert.Equal(4024.39, validation.RootElement.GetProperty("capacity").GetDouble(), 3);
        Assert.InRange(seed.GetProperty("ratio").GetDouble(), 1.04, 1.08);
        Assert.True(seed.GetProperty("within").GetBoolean());
        Assert.Contains("scenario \"seed\" sustainedPerSecond", console.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("scenario \"seed\" sustainedPerSecond", validation.RootElement.GetProperty("capacitySource").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ValidateOneAtATimeWithoutSustainedRate_UsesTheSeedsRateAndIsIoBound()
    {
        // Arrange
        string results = WriteResults(SeedRow, OneAtATimeRow);
        using var console = new StringWriter();

        // Act
        await new PlanRunner(Request(validateAgainst: results), console).RunAsync(CancellationToken.None);

        // Assert: same work as the seed, so the seed's CPU rate; one in flight over 3 s of I/O makes 5 x 3 s.
        using JsonDocument validation = ReadJson("validation.json");
        JsonElement oneAtATime = Comparison(validation, "one-at-a-time");
        Assert.Equal("seed", oneAtATime.GetProperty("capacityFrom").GetString());
        Assert.Equal(4024.39, oneAtATime.GetProperty("capacity").GetDouble(), 3);
        Assert.InRange(oneAtATime.GetProperty("simulatedSeconds").GetDouble(), 14.9, 15.2);
        Assert.True(oneAtATime.GetProperty("within").GetBoolean());
    }

    [Fact]
    public async Task RunAsync_ValidateOtherWorkWithSustainedRate_UsesItsOwnSustainedRate()
    {
        // Arrange: another transformationMode is checked with its own rate, the steady one when measured.
        const string cpuBound = """
            { "name": "cpu-bound", "backlog": 10000, "maxInFlight": 20000, "ioDelaySeconds": 3, "transformationMode": "SeedCost",
              "drainSeconds": 23, "throughputPerSecond": 434.78, "sustainedPerSecond": 500 }
            """;
        string results = WriteResults(SeedRow, cpuBound);
        using var console = new StringWriter();

        // Act
        await new PlanRunner(Request(validateAgainst: results), console).RunAsync(CancellationToken.None);

        // Assert: 3 s + 10000 / 500 msg/s = 23 s.
        using JsonDocument validation = ReadJson("validation.json");
        JsonElement row = Comparison(validation, "cpu-bound");
        Assert.Equal("own rate", row.GetProperty("capacityFrom").GetString());
        Assert.Equal("scenario \"cpu-bound\" sustainedPerSecond", row.GetProperty("capacitySource").GetString());
        Assert.Equal(500, row.GetProperty("capacity").GetDouble(), 3);
        Assert.InRange(row.GetProperty("simulatedSeconds").GetDouble(), 22.9, 23.2);
    }

    [Fact]
    public async Task RunAsync_ValidateFileWithoutSustainedRate_FallsBackToThroughputAndSaysSo()
    {
        // Arrange: a results file from before sustainedPerSecond existed.
        const string olderSeed = """
            { "name": "seed", "backlog": 6000, "maxInFlight": 1000, "ioDelaySeconds": 3, "drainSeconds": 63, "throughputPerSecond": 100 }
            """;
        string results = WriteResults(olderSeed);
        using var console = new StringWriter();

        // Act
        await new PlanRunner(Request(validateAgainst: results), console).RunAsync(CancellationToken.None);

        // Assert
        using JsonDocument validation = ReadJson("validation.json");
        Assert.Equal(100, validation.RootElement.GetProperty("capacity").GetDouble(), 3);
        Assert.Contains("scenario \"seed\" throughputPerSecond", console.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ValidateWithCapacityFlag_OverridesTheSustainedRate()
    {
        // Arrange
        string results = WriteResults(SeedRow);
        using var console = new StringWriter();

        // Act
        int exitCode = await new PlanRunner(Request(validateAgainst: results, cpuCapacity: 3804.15), console).RunAsync(CancellationToken.None);

        // Assert: the flag's rate counts the first I/O wave twice, as the old throughput-based rate did.
        Assert.Equal(PlanRunner.ExitTargetMissed, exitCode);
        using JsonDocument validation = ReadJson("validation.json");
        Assert.Equal(3804.15, validation.RootElement.GetProperty("capacity").GetDouble(), 3);
        Assert.Equal("--capacity", validation.RootElement.GetProperty("capacitySource").GetString());
        Assert.Equal("--capacity", Comparison(validation, "seed").GetProperty("capacityFrom").GetString());
    }

    [Fact]
    public async Task RunAsync_PlanWithCapacityFrom_TakesThePodsCpuRateFromSustainedPerSecond()
    {
        // Arrange
        string results = WriteResults(SeedRow);
        using var console = new StringWriter();

        // Act
        int exitCode = await new PlanRunner(Request(capacityFrom: results), console).RunAsync(CancellationToken.None);

        // Assert
        Assert.Equal(PlanRunner.ExitOk, exitCode);
        using JsonDocument plan = ReadJson("plan.json");
        Assert.Equal(4024.39, plan.RootElement.GetProperty("capacity").GetProperty("cpuMessagesPerSecond").GetDouble(), 3);
        Assert.EndsWith("scenario \"seed\" sustainedPerSecond", plan.RootElement.GetProperty("capacitySource").GetString(), StringComparison.Ordinal);
        Assert.Contains("pod capacity 4024.39 msg/s from", console.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CapacityFileMissing_UsageErrorAndNoEmptyRunFolderLeft()
    {
        // Arrange
        using var console = new StringWriter();

        // Act
        int exitCode = await new PlanRunner(Request(capacityFrom: Path.Combine(_directory, "missing.json")), console).RunAsync(CancellationToken.None);

        // Assert
        Assert.Equal(PlanRunner.ExitInvalidInput, exitCode);
        Assert.Contains("error: ", console.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_directory, "out")), "the failed run left its empty folder");
    }

    private static JsonElement Comparison(JsonDocument validation, string scenario) =>
        validation.RootElement.GetProperty("comparisons").EnumerateArray().Single(c => c.GetProperty("scenario").GetString() == scenario);

    private string WriteResults(params string[] scenarios)
    {
        string path = Path.Combine(_directory, "benchmark.json");
        File.WriteAllText(path, $$"""{ "runId": "test", "scenarios": [ {{string.Join(", ", scenarios)}} ] }""");
        return path;
    }

    private JsonDocument ReadJson(string name) => JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory, "out", name)));

    private PlanRequest Request(string? validateAgainst = null, string? capacityFrom = null, double? cpuCapacity = null) => new(
        PlanMode.Worker,
        CompareModes: false,
        PlanDefaults.SeedProfile,
        DurationSeconds: 120,
        TimeStepSeconds: 0.1,
        capacityFrom,
        CapacityScenario: "seed",
        cpuCapacity,
        MaxInFlight: null,
        Prefetch: null,
        IoLatencySeconds: null,
        StartupSeconds: null,
        new KedaSettings(100, 0, 30, 300, 0, 100, QueueMetricSource.ReadyOnly, false),
        HpaSettings.KubernetesDefault,
        QueueTopology.SingleUnlimited,
        TerminationGraceSeconds: 30,
        Recommend: false,
        TargetWaitSeconds: 60,
        CapacityMargin: 0.1,
        ValueCandidates: null,
        PollingCandidates: [30],
        MaxInFlightCandidates: null,
        validateAgainst,
        ValidateTolerance: 0.10,
        Path.Combine(_directory, "out"),
        RunId: "test");
}
