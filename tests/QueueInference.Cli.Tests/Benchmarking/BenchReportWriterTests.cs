using QueueInference.Cli.Benchmarking;

namespace QueueInference.Cli.Tests.Benchmarking;

public sealed class BenchReportWriterTests
{
    [Fact]
    public void MachineTable_RowsWithBrokerAndToolCpu_CoresAddUpToTheMachines()
    {
        // Arrange: over a 10 s window of a 2-core machine, the pod 8.8 s, the broker 6.5 s, this tool 1.8 s, idle 3 s.
        ScenarioResult measured = Row("model-heavy") with
        {
            ThroughputPerSecond = 4400,
            DrainCpu = new DrainCpu(8.8 / 44_000 * 1e6, 8.8, 10, 44_000, "cgroup", null),
            BrokerDrainCpu = new DrainCpu(6.5 / 44_000 * 1e6, 6.5, 10, 44_000, "procfs", null),
            ToolDrainCpu = new DrainCpu(1.8 / 44_000 * 1e6, 1.8, 10, 44_000, "procfs", null),
            MachineIdleCores = 0.3,
        };

        // Act
        string table = BenchReportWriter.MachineTable([measured, Row("echo")], 2);

        // Assert: the rest is what the four leave of the 2 cores; a row without these figures has no line.
        Assert.Contains("| model-heavy | 4400.0 | 0.88 | 0.65 | 0.18 | 0.30 | -0.01 | 147.7 | 40.9 |", table, StringComparison.Ordinal);
        Assert.DoesNotContain("| echo |", table, StringComparison.Ordinal);
    }

    [Fact]
    public void MachineTable_NoRowMeasuredTheMachine_Empty()
    {
        // Act
        string table = BenchReportWriter.MachineTable([Row("echo")], 2);

        // Assert: the report leaves the table and its heading out.
        Assert.Empty(table);
    }

    private static ScenarioResult Row(string name) => new() { Name = name, Description = string.Empty, Process = "worker" };
}
