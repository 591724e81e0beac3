using QueueInference.Cli.Planning.Capacity;
using Xunit;

namespace QueueInference.Cli.Tests.Planning;

public sealed class DrainValidatorTests
{
    [Fact]
    public void Compare_MeasuredMatchesCpuBoundDrain_RatioCloseToOne()
    {
        // Arrange: 6000 messages at 100 msg/s after 3 s of I/O take 63 s.
        var measured = new BenchmarkScenario("seed", 100, 63, 6000, 1000, 3, null);

        // Act
        DrainComparison comparison = DrainValidator.Compare(measured, cpuMessagesPerSecond: 100, timeStepSeconds: 0.1);

        // Assert
        Assert.InRange(comparison.Ratio, 0.99, 1.01);
        Assert.True(comparison.IsWithin(0.10));
    }

    [Fact]
    public void Compare_MeasuredMuchFaster_IsOutsideTolerance()
    {
        // Arrange: a measured 40 s cannot be matched by a 100 msg/s model of 6000 messages.
        var measured = new BenchmarkScenario("seed", 100, 40, 6000, 1000, 3, null);

        // Act
        DrainComparison comparison = DrainValidator.Compare(measured, 100, 0.1);

        // Assert
        Assert.False(comparison.IsWithin(0.10));
        Assert.True(comparison.Ratio > 1.5);
    }

    [Fact]
    public void Compare_OtherScenarioUsesItsOwnInFlightLimit_WithTheSeedsCpuCapacity()
    {
        // Arrange: the seed measured 100 msg/s of CPU; this scenario allows only 60 in flight over 3 s (20 msg/s).
        var measured = new BenchmarkScenario("small-inflight", 20, 150, 3000, 60, 3, null);

        // Act
        DrainComparison comparison = DrainValidator.Compare(measured, 100, 0.1);

        // Assert: 3000 / 20 = 150 s.
        Assert.InRange(comparison.SimulatedSeconds, 149, 152);
    }

    [Fact]
    public void Compare_SeedRowWithItsSustainedRate_WithinTenPercent()
    {
        // Arrange: the seed row of run a27e88e7 (results/history/benchmark-a27e88e7.json).
        BenchmarkScenario measured = SeedRow();

        // Act
        DrainComparison comparison = DrainValidator.Compare(measured, measured.SteadyRatePerSecond!.Value, 0.1);

        // Assert: 3 s + 100000 / 4024.39 msg/s = 27.85 s against 26.29 s.
        Assert.InRange(comparison.Ratio, 1.04, 1.08);
        Assert.True(comparison.IsWithin(0.10));
    }

    [Fact]
    public void Compare_SeedRowWithItsDrainThroughput_CountsTheFirstIoWaveTwice()
    {
        // Arrange: the drain throughput already holds the first 3 s I/O wave, which the simulator adds again.
        BenchmarkScenario measured = SeedRow();

        // Act
        DrainComparison comparison = DrainValidator.Compare(measured, measured.ThroughputPerSecond!.Value, 0.1);

        // Assert: 3 s + 100000 / 3804.15 msg/s = 29.3 s against 26.29 s.
        Assert.InRange(comparison.Ratio, 1.10, 1.13);
        Assert.False(comparison.IsWithin(0.10));
    }

    [Fact]
    public void Compare_OneAtATimeWithTheSeedsRate_IsBoundByOneInFlightOverTheIoTime()
    {
        // Arrange: one message in flight and 3 s of I/O allow 1/3 msg/s whatever the CPU does.
        var measured = new BenchmarkScenario("one-at-a-time", 1.19, 15.09, 5, 1, 3, 3.7, TransformationMode: "Fast");

        // Act
        DrainComparison comparison = DrainValidator.Compare(measured, SeedRow().SteadyRatePerSecond!.Value, 0.1);

        // Assert: 5 x 3 s.
        Assert.InRange(comparison.SimulatedSeconds, 14.9, 15.2);
    }

    [Theory]
    [InlineData(1000.0, 63.0, 6000L, null, null)]
    [InlineData(1000.0, 60.0, 0L, 1000.0, "steady open-loop load, not a backlog drain")]
    [InlineData(1000.0, 0.02, 1L, null, "a backlog of one message is a cold start, not a drain")]
    [InlineData(null, 0.02, 1L, null, "no throughputPerSecond")]
    public void SkipReason_ScenarioKinds_OnlyBacklogDrainsAreCompared(double? throughput, double drain, long backlog, double? offered, string? expected)
    {
        // Arrange
        var scenario = new BenchmarkScenario("s", throughput, drain, backlog, 20_000, 3, null, offered);

        // Act
        string? reason = DrainValidator.SkipReason(scenario);

        // Assert
        Assert.Equal(expected, reason);
    }

    [Theory]
    [InlineData("echo", "not the worker host (process: echo)")]
    [InlineData("worker", null)]
    [InlineData(null, null)]
    public void SkipReason_Process_OnlyTheWorkerHostIsChecked(string? process, string? expected)
    {
        // Arrange
        var scenario = new BenchmarkScenario("s", 6108.8, 16.37, 100_000, 20_000, 0, null, Process: process);

        // Act
        string? reason = DrainValidator.SkipReason(scenario);

        // Assert
        Assert.Equal(expected, reason);
    }

    private static BenchmarkScenario SeedRow() =>
        new("seed", 3804.15, 26.287, 100_000, 20_000, 3, 4.09, TransformationMode: "Fast", SustainedPerSecond: 4024.39);

    [Fact]
    public void SkipReason_BlipScenario_NotAPlainDrain()
    {
        var blip = new BenchmarkScenario("blip-close", 1500, 27, 40000, 20000, 3, null, Process: "worker", Disturbed: true);

        Assert.Equal("the broker was disturbed mid-drain (a blip scenario)", DrainValidator.SkipReason(blip));
    }

    [Fact]
    public void SkipReason_LargeRequests_OtherWork()
    {
        var large = new BenchmarkScenario("large", 177, 85, 15000, null, 3, null, Process: "worker", Values: "4096");

        Assert.Equal("requests of 4096 values, not the seed's 5", DrainValidator.SkipReason(large));
    }

    [Fact]
    public void SkipReason_SeedSizeQuorumDrain_Compared()
    {
        var quorum = new BenchmarkScenario("seed-quorum", 3000, 34, 100000, 20000, 3, null, Process: "worker", Values: "5");

        Assert.Null(DrainValidator.SkipReason(quorum));
    }
}
