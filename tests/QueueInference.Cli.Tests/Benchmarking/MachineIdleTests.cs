using QueueInference.Cli.Benchmarking;

namespace QueueInference.Cli.Tests.Benchmarking;

public sealed class MachineIdleTests
{
    [Fact]
    public void IdleTicks_AggregateCpuLine_IdlePlusIoWait()
    {
        // Arrange: user nice system idle iowait irq softirq steal guest guest_nice, as Linux writes it (two spaces after "cpu").
        const string line = "cpu  22136 0 8206 52346 2656 0 578 0 0 0";

        // Act
        long ticks = MachineIdle.IdleTicks(line);

        // Assert
        Assert.Equal(52346 + 2656, ticks);
    }

    [Theory]
    [InlineData("cpu0 11068 0 4103 26173 1328 0 289 0 0 0")]
    [InlineData("intr 123 4 5")]
    [InlineData("cpu  1 2 3")]
    public void IdleTicks_NotTheAggregateLine_Throws(string line)
    {
        Assert.Throws<FormatException>(() => MachineIdle.IdleTicks(line));
    }
}
