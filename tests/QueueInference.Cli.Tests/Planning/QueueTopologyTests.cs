using QueueInference.Cli.Planning.Autoscaling;
using QueueInference.Cli.Planning.Profiles;
using QueueInference.Cli.Planning.Simulation;
using Xunit;

namespace QueueInference.Cli.Tests.Planning;

public sealed class QueueTopologyTests
{
    [Fact]
    public void MetricSeenByHpa_FourBalancedQueuesWithOneTriggerEach_SeesAQuarter()
    {
        // Arrange: the HPA takes the highest per-trigger replica count, and balanced partitions are equal.
        var topology = new QueueTopology(4, null, TriggerCombination.MaxOfTriggers);

        // Act
        double seen = topology.MetricSeenByHpa(8000);

        // Assert
        Assert.Equal(2000, seen);
    }

    [Fact]
    public void MetricSeenByHpa_SummedMetric_SeesTheTotal()
    {
        // Act
        double seen = new QueueTopology(4, null, TriggerCombination.Sum).MetricSeenByHpa(8000);

        // Assert
        Assert.Equal(8000, seen);
    }

    [Theory]
    [InlineData(15_000, 1)]
    [InlineData(20_000, 1)]
    [InlineData(50_000, 3)]
    public void QueuesNeededFor_PeakAgainstPerQueueLimit_RoundsUp(double peak, int expected)
    {
        // Act
        int needed = new QueueTopology(1, 20_000, TriggerCombination.Sum).QueuesNeededFor(peak);

        // Assert
        Assert.Equal(expected, needed);
    }

    [Fact]
    public void Run_OneQueueBelowTheLoad_BrokerCapsThroughputWhateverThePods()
    {
        // Arrange: 1000 msg/s offered, one queue delivers 500 msg/s; pods could do far more.
        var capacity = new PodCapacity(1000, 5000, 5000, 1, 0);
        ScaleScenario oneQueue = SimulationScenarios.Autoscaled(new StepProfile(1000, 1000, 0, null), capacity, SimulationScenarios.ReadyMetric, 300)
            with { Topology = new QueueTopology(1, 500, TriggerCombination.Sum) };
        ScaleScenario twoQueues = oneQueue with { Topology = new QueueTopology(2, 500, TriggerCombination.Sum) };

        // Act
        SimulationSummary capped = QueueSimulator.Run(oneQueue).Summary;
        SimulationSummary partitioned = QueueSimulator.Run(twoQueues).Summary;

        // Assert: at most 500 msg/s x 300 s left one queue; two queues keep up.
        Assert.InRange(capped.MessagesAcked, 0, 150_000);
        Assert.True(capped.MessagesLeft > 100_000);
        Assert.True(partitioned.MessagesLeft < 5_000, $"left {partitioned.MessagesLeft}");
    }

    [Fact]
    public void Run_OneTriggerPerPartition_ScalesToFewerPodsThanASummedMetric()
    {
        // Arrange: 4 partitions; separate triggers make the HPA see a quarter of the backlog.
        var capacity = new PodCapacity(100, 300, 300, 2, 10);
        KedaSettings http = SimulationScenarios.ReadyMetric with { Metric = QueueMetricSource.ReadyAndUnacknowledged, TargetValue = 200 };
        ScaleScenario summed = SimulationScenarios.Autoscaled(new StepProfile(0, 1000, 10, 610), capacity, http, 900)
            with { Topology = new QueueTopology(4, null, TriggerCombination.Sum) };
        ScaleScenario maxed = summed with { Topology = new QueueTopology(4, null, TriggerCombination.MaxOfTriggers) };

        // Act
        SimulationSummary sum = QueueSimulator.Run(summed).Summary;
        SimulationSummary max = QueueSimulator.Run(maxed).Summary;

        // Assert
        Assert.True(max.PeakPods < sum.PeakPods, $"max {max.PeakPods} vs sum {sum.PeakPods}");
        Assert.True(max.PodSeconds < sum.PodSeconds);
    }

    [Fact]
    public void MetricSeenByHpa_FluidResidue_RoundsToWholeMessages()
    {
        // Arrange: RabbitMQ counts whole messages; 0.4 left over from the fluid model is an empty queue.
        var topology = new QueueTopology(1, null, TriggerCombination.Sum);

        // Act
        double seen = topology.MetricSeenByHpa(0.4);

        // Assert
        Assert.Equal(0, seen);
    }

    [Fact]
    public void Run_FunctionsAfterTheLoad_ScalesToZero()
    {
        // Arrange: one invocation per pod, HTTP metric, activation above 0.
        var capacity = new PodCapacity(1000, 1, 1, 3, 15);
        KedaSettings http = SimulationScenarios.ReadyMetric with { Metric = QueueMetricSource.ReadyAndUnacknowledged, TargetValue = 15, PollingIntervalSeconds = 5 };
        ScaleScenario scenario = SimulationScenarios.Autoscaled(new StepProfile(0, 10.0 / 3, 60.1, 660.1), capacity, http, 1800);

        // Act
        SimulationResult result = QueueSimulator.Run(scenario);

        // Assert
        Assert.True(result.Summary.Drained);
        Assert.Equal(0, result.Timeline[^1].DesiredPods);
    }
}
