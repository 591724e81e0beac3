using QueueInference.Cli.Benchmarking;
using QueueInference.Cli.LoadTesting;

namespace QueueInference.Cli.Tests.Benchmarking;

public sealed class DrainCpuTests
{
    /// <summary>A pod that starts (1 CPU-s by t = 10), then uses half a CPU from t = 10 on, sampled every 0.1 s.</summary>
    private static readonly CpuSample[] Samples = [.. Enumerable.Range(0, 301).Select(i => new CpuSample(i * 0.1, i * 0.1 <= 10 ? i * 0.01 : 1 + ((i * 0.1) - 10) * 0.5))];

    [Theory]
    [InlineData(5.0, 0.5)]
    [InlineData(10.05, 1.025)]
    [InlineData(20.0, 6.0)]
    public void CpuAt_BetweenSamples_InterpolatesLinearly(double at, double expected)
    {
        // Act
        double? cpu = DrainCpu.CpuAt(Samples, at);

        // Assert
        Assert.Equal(expected, cpu!.Value, 9);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(30.01)]
    public void CpuAt_OutsideTheSamples_Null(double at)
    {
        // Act
        double? cpu = DrainCpu.CpuAt(Samples, at);

        // Assert
        Assert.Null(cpu);
    }

    [Fact]
    public void Measure_DrainAfterStartUp_CountsTheWindowFromFirstPickUpToLastReplyOnly()
    {
        // Arrange: 1001 requests picked up from 10 s, replied from 12 s (an I/O step) to 20 s; half a CPU over those 10 s is 5 CPU-s.
        CompletedMessage[] completed = [.. Enumerable.Range(0, 1001).Select(i => new CompletedMessage(9.0, 10.0 + (i * 0.002), 12.0 + (i * 0.008), 12.0 + (i * 0.008)))];

        // Act
        DrainCpu? drain = DrainCpu.Measure(Samples, completed, "cgroup");

        // Assert: start-up's 1 CPU-s left out; 5 CPU-s over 1001 replies.
        Assert.NotNull(drain);
        Assert.Equal(5.0, drain.CpuSeconds, 9);
        Assert.Equal(10.0, drain.WindowSeconds, 9);
        Assert.Equal(5.0 / 1001 * 1e6, drain.MicrosecondsPerMessage, 6);
        Assert.Equal(1001, drain.Messages);
        Assert.Equal("cgroup", drain.Source);
        // From the first reply (12 s) instead: 4 CPU-s over the 1000 replies after it, which misses the intake before it.
        Assert.Equal(4.0 / 1000 * 1e6, drain.MicrosecondsPerMessageFromFirstReply!.Value, 6);
    }

    [Fact]
    public void Measure_OneReply_Null()
    {
        // Arrange
        CompletedMessage[] completed = [new(9.0, 10.0, 10.5, 10.5)];

        // Act
        DrainCpu? drain = DrainCpu.Measure(Samples, completed, "cgroup");

        // Assert
        Assert.Null(drain);
    }

    [Fact]
    public void Measure_SamplesEndBeforeTheLastReply_Null()
    {
        // Arrange: the last reply at 31 s, after the last sample (the process died, say).
        CompletedMessage[] completed = [new(9.0, 10.0, 12.0, 12.0), new(9.0, 10.0, 31.0, 31.0)];

        // Act
        DrainCpu? drain = DrainCpu.Measure(Samples, completed, "procfs");

        // Assert
        Assert.Null(drain);
    }
}
