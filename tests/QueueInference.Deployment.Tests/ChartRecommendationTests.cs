using System.Globalization;
using Newtonsoft.Json.Linq;

namespace QueueInference.Deployment.Tests;

/// <summary>
/// The chart's KEDA defaults are the scale planner's output (issue 9): per mode, keda.value and
/// keda.maxReplicaCount of 0 resolve to keda.recommended.&lt;mode&gt;, which must equal the committed
/// planner run (results/planner/seed-&lt;mode&gt;-http/plan.json), and the worker's in-flight default must not
/// cap a pod below what the planner assumed it does.
/// </summary>
public sealed class ChartRecommendationTests
{
    private readonly ChartDefaults _defaults = new(YamlDocuments.Load(RepoFiles.ChartValues));

    [Fact]
    public void KedaValue_FunctionsMode_IsTheFunctionsRecommendation()
    {
        // Arrange: `--set mode=functions` on the defaults, which leave keda.value and keda.maxReplicaCount at 0.
        var functions = new ChartDefaults(ValuesSchema.DefaultsWith("mode", "functions"));

        // Act
        long value = functions.KedaValue;
        long maxReplicaCount = functions.MaxReplicaCount;

        // Assert: its own numbers, not the worker's (one Functions pod does ~0.33 msg/s, a worker pod thousands).
        Assert.Equal(functions.Recommended("functions", "value"), value);
        Assert.Equal(functions.Recommended("functions", "maxReplicaCount"), maxReplicaCount);
        Assert.NotEqual(functions.Recommended("worker", "value"), value);
    }

    [Fact]
    public void KedaValue_ExplicitValue_WinsOverTheRecommendation()
    {
        // Arrange
        var overridden = new ChartDefaults(ValuesSchema.DefaultsWith("keda.value", 5000));

        // Act
        long value = overridden.KedaValue;

        // Assert
        Assert.Equal(5000, value);
    }

    [Theory]
    [InlineData("worker")]
    [InlineData("functions")]
    public void Recommended_EachMode_EqualsThePlannersSeedRecommendation(string mode)
    {
        // Arrange
        JObject plan = JObject.Parse(File.ReadAllText(RepoFiles.PlannerSeedRecommendation(mode)));
        Assert.Equal(mode, (string)plan["mode"]!);
        JToken planned = plan["recommendation"]!;

        // Act
        long value = _defaults.Recommended(mode, "value");
        long maxReplicaCount = _defaults.Recommended(mode, "maxReplicaCount");

        // Assert: activation and cool-down are single values, so both modes' runs must agree with them.
        Assert.Equal((long)planned["value"]!, value);
        Assert.Equal((long)planned["maxReplicaCount"]!, maxReplicaCount);
        Assert.Equal((long)planned["activationValue"]!, (long)_defaults.Keda["activationValue"]!);
        Assert.Equal((long)planned["cooldownPeriod"]!, (long)_defaults.Keda["cooldownPeriod"]!);
    }

    [Theory]
    [InlineData("worker")]
    [InlineData("functions")]
    public void PollingInterval_SharedDefault_MeetsTheTargetWithEachModesRecommendedValue(string mode)
    {
        // Arrange: one pollingInterval serves both modes, although each mode's search may prefer another;
        // the shared one must be among the settings that met the latency target for that mode's value.
        long pollingInterval = (long)_defaults.Keda["pollingInterval"]!;
        long value = _defaults.Recommended(mode, "value");
        string[] header = File.ReadLines(RepoFiles.PlannerSeedCandidates(mode)).First().Split(',');
        int valueColumn = Array.IndexOf(header, "value");
        int pollingColumn = Array.IndexOf(header, "polling_interval_s");
        int meetsColumn = Array.IndexOf(header, "meets_target");

        // Act
        string[][] rows = [.. File.ReadLines(RepoFiles.PlannerSeedCandidates(mode)).Skip(1)
            .Select(line => line.Split(','))
            .Where(cells => cells[valueColumn] == value.ToString(CultureInfo.InvariantCulture)
                && cells[pollingColumn] == pollingInterval.ToString(CultureInfo.InvariantCulture))];

        // Assert
        Assert.NotEmpty(rows);
        Assert.Contains(rows, cells => cells[meetsColumn] == "True");
    }

    [Fact]
    public void ConsumerMaxInFlight_Default_HoldsThePlannedLimitAndTheMeasuredRateWithHeadroom()
    {
        // Arrange: the planner's limit is the smallest its fluid model cannot tell apart; the real broker
        // delivers in bursts, so the default must also hold 1.1 x (measured msg/s) x 1.1 x (I/O time).
        JObject plan = JObject.Parse(File.ReadAllText(RepoFiles.PlannerSeedRecommendation("worker")));
        long plannedLimit = (long)plan.SelectToken("recommendation.maxInFlight")!;
        double rate = (double)plan.SelectToken("capacity.cpuMessagesPerSecond")!;
        double ioSeconds = (double)plan.SelectToken("capacity.ioLatencySeconds")!;
        double withHeadroom = 1.1 * rate * 1.1 * ioSeconds;

        // Act
        long maxInFlight = (long)_defaults.Values.SelectToken("config.Consumer.MaxInFlight")!;

        // Assert
        Assert.True(maxInFlight >= plannedLimit, $"Consumer.MaxInFlight {maxInFlight} is below the planner's {plannedLimit}");
        Assert.True(maxInFlight >= withHeadroom, string.Create(CultureInfo.InvariantCulture, $"Consumer.MaxInFlight {maxInFlight} is below 1.1 x {rate} msg/s x 1.1 x {ioSeconds} s = {withHeadroom:F0}"));
    }
}
