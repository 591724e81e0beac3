using QueueInference.Cli.Planning.Autoscaling;
using QueueInference.Cli.Planning.Profiles;
using QueueInference.Cli.Planning.Simulation;
using Xunit;

namespace QueueInference.Cli.Tests.Planning;

public sealed class QueueSimulatorTests
{
    [Fact]
    public void Run_OnePodCpuBound_DrainsInIoTimePlusBacklogOverCapacity()
    {
        // Arrange: 100 msg/s of CPU, 1000 in flight over 3 s of I/O could do 333 msg/s, so the CPU binds.
        var capacity = new PodCapacity(100, 1000, 1000, 3, 0);

        // Act
        SimulationSummary summary = QueueSimulator.Run(SimulationScenarios.OnePodDrain(capacity, 6000)).Summary;

        // Assert: the first I/O wave (3 s) then 6000 / 100 = 60 s of CPU.
        Assert.NotNull(summary.TimeToDrainSeconds);
        Assert.InRange(summary.TimeToDrainSeconds.Value, 62.5, 63.5);
        Assert.Equal(6000, summary.MessagesAcked, precision: 6);
    }

    [Fact]
    public void Run_OnePodInFlightBound_DrainsAtLittlesLawRate()
    {
        // Arrange: plenty of CPU; 100 in flight over 2 s of I/O = 50 msg/s.
        var capacity = new PodCapacity(10_000, 100, 100, 2, 0);

        // Act
        SimulationSummary summary = QueueSimulator.Run(SimulationScenarios.OnePodDrain(capacity, 1000)).Summary;

        // Assert: 1000 / 50 = 20 s (ten full waves of 2 s).
        Assert.NotNull(summary.TimeToDrainSeconds);
        Assert.InRange(summary.TimeToDrainSeconds.Value, 19.9, 20.5);
    }

    [Fact]
    public void Run_FunctionsPodOneInvocationAtATime_DoesOneMessagePerIoTime()
    {
        // Arrange: one invocation, 3 s each.
        var capacity = new PodCapacity(1000, 1, 1, 3, 0);

        // Act
        SimulationSummary summary = QueueSimulator.Run(SimulationScenarios.OnePodDrain(capacity, 10)).Summary;

        // Assert: 10 x 3 s, i.e. 0.33 msg/s.
        Assert.NotNull(summary.TimeToDrainSeconds);
        Assert.InRange(summary.TimeToDrainSeconds.Value, 29.9, 30.5);
    }

    [Fact]
    public void Run_StepUpThenDown_ScalesOutDrainsAndReturnsToZero()
    {
        // Arrange: 5 pods' worth for 5 minutes; pods start in 10 s.
        var capacity = new PodCapacity(100, 400, 400, 2, 10);
        ScaleScenario scenario = SimulationScenarios.Autoscaled(new StepProfile(0, 500, 10, 310), capacity, SimulationScenarios.ReadyMetric, 1200);

        // Act
        SimulationResult result = QueueSimulator.Run(scenario);

        // Assert
        Assert.True(result.Summary.Drained);
        Assert.InRange(result.Summary.PeakPods, 5, 100);
        Assert.Equal(0, result.Timeline[^1].DesiredPods);
        Assert.True(result.Summary.PodSeconds > result.Summary.MinimumPodSeconds);
    }

    [Fact]
    public void Run_MaxReplicaCountBelowNeed_CapsPodsAndLeavesBacklog()
    {
        // Arrange: 10 pods' worth, at most 3 pods.
        var capacity = new PodCapacity(100, 400, 400, 2, 0);
        KedaSettings keda = SimulationScenarios.ReadyMetric with { MaxReplicaCount = 3 };
        ScaleScenario scenario = SimulationScenarios.Autoscaled(new StepProfile(0, 1000, 0, null), capacity, keda, 600);

        // Act
        SimulationSummary summary = QueueSimulator.Run(scenario).Summary;

        // Assert
        Assert.Equal(3, summary.PeakPods);
        Assert.False(summary.Drained);
        Assert.True(summary.WorstLatencySeconds > 300, "messages still queued at the end must count in the worst case");
    }

    [Fact]
    public void HoldLimit_CpuBoundPodWithComputeWaitTarget_HoldsWhatItsCpuStartsWithinIoPlusWait()
    {
        // Arrange: 100 msg/s of CPU, 3 s of I/O, 0.25 s wait target, a configured limit of 20000.
        var adaptive = new PodCapacity(100, 20_000, 20_000, 3, 0, ComputeWaitTargetSeconds: 0.25);
        var fixedLimit = adaptive with { ComputeWaitTargetSeconds = 0 };

        // Act / Assert: 100 x 3.25 s = 325 held, not 20000; without the target the whole prefetch; throughput the same.
        Assert.Equal(325, adaptive.HoldLimit);
        Assert.Equal(20_000, fixedLimit.HoldLimit);
        Assert.Equal(fixedLimit.ThroughputPerPod, adaptive.ThroughputPerPod);
    }

    [Fact]
    public void Run_ScaleOutWithAdaptiveInFlight_NewPodsTakeTheBacklogSooner()
    {
        // Arrange: a backlog arrives at once; the first pod holds 20000 with a fixed limit, ~325 with an adaptive one,
        // so with the adaptive limit the backlog stays in the broker where the pods KEDA adds can take it.
        var fixedLimit = new PodCapacity(100, 20_000, 20_000, 3, 10);
        var adaptive = fixedLimit with { ComputeWaitTargetSeconds = 0.25 };
        var load = new StepProfile(0, 2000, 0, 15);
        KedaSettings keda = SimulationScenarios.ReadyMetric with { TargetValue = 1000, MinReplicaCount = 1 };

        // Act
        SimulationSummary held = QueueSimulator.Run(SimulationScenarios.Autoscaled(load, fixedLimit, keda, 1800)).Summary;
        SimulationSummary followed = QueueSimulator.Run(SimulationScenarios.Autoscaled(load, adaptive, keda, 1800)).Summary;

        // Assert
        Assert.True(followed.Drained && held.Drained);
        Assert.True(followed.WorstLatencySeconds < held.WorstLatencySeconds, $"adaptive worst {followed.WorstLatencySeconds:0} s vs fixed {held.WorstLatencySeconds:0} s");
        Assert.True(followed.TimeToDrainSeconds < held.TimeToDrainSeconds, $"adaptive drain {followed.TimeToDrainSeconds:0} s vs fixed {held.TimeToDrainSeconds:0} s");
    }

    [Fact]
    public void Run_LargePrefetchWithAmqpCount_ScalesLessThanCountingUnacked()
    {
        // Arrange: 2000 in flight per pod hides the backlog from an AMQP (ready only) count.
        var capacity = new PodCapacity(100, 2000, 2000, 3, 0);
        var load = new StepProfile(0, 800, 0, 600);
        KedaSettings amqp = SimulationScenarios.ReadyMetric with { TargetValue = 300 };
        KedaSettings http = amqp with { Metric = QueueMetricSource.ReadyAndUnacknowledged };

        // Act
        SimulationSummary readyOnly = QueueSimulator.Run(SimulationScenarios.Autoscaled(load, capacity, amqp, 900)).Summary;
        SimulationSummary withUnacked = QueueSimulator.Run(SimulationScenarios.Autoscaled(load, capacity, http, 900)).Summary;

        // Assert: the messages held in pods count only over HTTP, so the same value asks for more pods.
        Assert.True(withUnacked.PeakPods > readyOnly.PeakPods, $"http {withUnacked.PeakPods} vs amqp {readyOnly.PeakPods}");
        Assert.True(withUnacked.PodSeconds > readyOnly.PodSeconds);
    }

    [Fact]
    public void Run_SpikeWithScaleInAndShortGracePeriod_LosesNoMessage()
    {
        // Arrange: a spike, then scale-in with a 1 s grace period so that pods are killed with work in hand.
        var capacity = new PodCapacity(50, 500, 500, 3, 5);
        ScaleScenario scenario = SimulationScenarios.Autoscaled(new SpikeProfile(20, 1000, 60, 60), capacity, SimulationScenarios.ReadyMetric, 1500)
            with { Options = SimulationOptions.Default with { DurationSeconds = 1500, TerminationGraceSeconds = 1 } };

        // Act
        SimulationSummary summary = QueueSimulator.Run(scenario).Summary;

        // Assert: published = acked + still in the system, whatever was requeued on the way.
        Assert.Equal(summary.MessagesPublished, summary.MessagesAcked + summary.MessagesLeft, precision: 3);
    }

    [Fact]
    public void Run_SameScenarioTwice_GivesIdenticalResults()
    {
        // Arrange
        var capacity = new PodCapacity(100, 300, 300, 3, 15);
        ScaleScenario scenario = SimulationScenarios.Autoscaled(new SineProfile(400, 300, 600), capacity, SimulationScenarios.ReadyMetric, 1200);

        // Act
        SimulationResult first = QueueSimulator.Run(scenario);
        SimulationResult second = QueueSimulator.Run(scenario);

        // Assert
        Assert.Equal(first.Summary, second.Summary);
        Assert.Equal(first.Timeline, second.Timeline);
    }
}
