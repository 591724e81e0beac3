using QueueInference.Cli.Benchmarking;
using QueueInference.Cli.LoadTesting;

namespace QueueInference.Cli.Tests.Benchmarking;

public sealed class BenchTargetsTests
{
    [Fact]
    public void Evaluate_SeedAboveAndColdStartBelowGoal_JudgedEach()
    {
        ScenarioResult[] scenarios =
        [
            new() { Name = "seed", Description = "", Process = "worker", Ratio = 0.9, PeakRssMiB = 300 },
            new() { Name = "cold-start", Description = "", Process = "worker", ColdStartSeconds = 0.8 },
        ];

        IReadOnlyList<BenchTarget> targets = BenchTargets.Evaluate(scenarios);

        Assert.True(targets.Single(t => t.Goal.StartsWith("seed: >=", StringComparison.Ordinal)).Met);
        Assert.False(targets.Single(t => t.Goal.StartsWith("seed: peak RSS", StringComparison.Ordinal)).Met);
        Assert.False(targets.Single(t => t.Goal.StartsWith("cold start", StringComparison.Ordinal)).Met);
        Assert.Null(targets.Single(t => t.Goal.StartsWith("cpu-bound", StringComparison.Ordinal)).Met);
    }

    [Fact]
    public void Evaluate_OomKilledScenario_NeverKilledGoalFails()
    {
        ScenarioResult[] scenarios = [new() { Name = "seed", Description = "", Process = "worker", OomKilled = true }];

        IReadOnlyList<BenchTarget> targets = BenchTargets.Evaluate(scenarios);

        Assert.False(targets.Single(t => t.Goal.StartsWith("never killed", StringComparison.Ordinal)).Met);
    }

    [Fact]
    public void SustainedRate_EvenlySpacedResponses_ReturnsTheirRate()
    {
        CompletedMessage[] completed = [.. Enumerable.Range(0, 100).Select(i => new CompletedMessage(0, 0, i * 0.01, i * 0.01))];

        double? rate = BenchRunner.SustainedRate(completed);

        Assert.Equal(100, rate!.Value, 6);
    }

    [Fact]
    public void Evaluate_DefaultRowsOnly_SevenGoals()
    {
        ScenarioResult[] scenarios = [new() { Name = "seed", Description = "", Process = "worker", Ratio = 0.9 }];

        Assert.Equal(7, BenchTargets.Evaluate(scenarios).Count);
    }

    [Theory]
    [InlineData(1.25, true)]
    [InlineData(1.35, false)]
    public void Evaluate_SeedCpuPerMessage_JudgedAgainstOnePointThreeTimesTheEchos(double toEcho, bool met)
    {
        // Arrange
        ScenarioResult[] scenarios = [new() { Name = "seed", Description = "", Process = "worker", CpuPerMessageToEcho = toEcho }];

        // Act
        BenchTarget goal = BenchTargets.Evaluate(scenarios).Single(t => t.Goal == "seed: CPU per message <= 1.3x the echo's");

        // Assert
        Assert.Equal(met, goal.Met);
    }

    [Fact]
    public void Evaluate_CpuBound_JudgedAgainstEightyFivePercentOfTheEchoPlusTransformationCeiling()
    {
        // Arrange
        ScenarioResult[] scenarios = [new() { Name = "cpu-bound", Description = "", Process = "worker", Ratio = 0.86 }];

        // Act
        BenchTarget goal = BenchTargets.Evaluate(scenarios).Single(t => t.Goal.StartsWith("cpu-bound", StringComparison.Ordinal));

        // Assert
        Assert.Equal("cpu-bound: >= 0.85 of 1 / (echo CPU per message + transformation cost), over the drain", goal.Goal);
        Assert.True(goal.Met);
    }

    [Fact]
    public void Evaluate_ModelRows_TheirTwoGoalsListed()
    {
        // Arrange
        ScenarioResult echo = new() { Name = "echo", Description = "", Process = "echo", CpuMicrosecondsPerMessage = 50 };
        ScenarioResult batched = ScenarioJudgement.Judge(
            new() { Name = "model-heavy", Description = "", Process = "worker", ThroughputPerSecond = 4000, Sent = 10, Replied = 10, Model = new ModelCostAtBatch("m.onnx", 64, 64, 150e-6, 150e-6, 150e-6, 1) },
            echo,
            null,
            2000,
            null);
        ScenarioResult unbatched = ScenarioJudgement.Judge(
            new() { Name = "model-heavy-unbatched", Description = "", Process = "worker", ThroughputPerSecond = 1000, Sent = 10, Replied = 10, BatchedToUnbatched = 4, Model = new ModelCostAtBatch("m.onnx", 1, 1, 800e-6, 800e-6, 800e-6, 1) },
            echo,
            null,
            2000,
            null);

        // Act
        IReadOnlyList<BenchTarget> targets = BenchTargets.Evaluate([echo, batched, unbatched]);

        // Assert: 4000/s of a 5000/s ceiling is 0.8; batched is 4x, not 5x.
        BenchTarget ceiling = targets.Single(t => t.Goal == "model-heavy: >= 0.85 of its ceiling");
        Assert.False(ceiling.Met);
        Assert.StartsWith("0.800; drained", ceiling.Actual, StringComparison.Ordinal);
        BenchTarget speedup = targets.Single(t => t.Goal == "model-heavy (batched) >= 5x this row");
        Assert.False(speedup.Met);
        Assert.StartsWith("4.00x", speedup.Actual, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_LargeRowThatExited_ItsGoalFailsAndTheKilledGoalNamesIt()
    {
        ScenarioResult large = ScenarioJudgement.Judge(
            new() { Name = "large", Description = "", Process = "worker", Sent = 15000, Replied = 3, Missing = 14997, ExitedEarly = true, ExitCode = 134 },
            null,
            null,
            2000,
            null);

        IReadOnlyList<BenchTarget> targets = BenchTargets.Evaluate([large]);

        BenchTarget goal = Assert.Single(targets, t => t.Goal.StartsWith("large:", StringComparison.Ordinal));
        Assert.False(goal.Met);
        Assert.Contains("exited with code 134", goal.Actual, StringComparison.Ordinal);
        BenchTarget killed = targets.Single(t => t.Goal.StartsWith("never killed", StringComparison.Ordinal));
        Assert.False(killed.Met);
        Assert.Contains("(large)", killed.Actual, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ClusterKillRow_GoalGivesDuplicatesAgainstInFlightAtTheKill()
    {
        ScenarioResult kill = ScenarioJudgement.Judge(
            new()
            {
                Name = "cluster-kill",
                Description = "",
                Process = "worker",
                Sent = 20000,
                Replied = 20000,
                Duplicates = 12,
                Lost = 0,
                DeadLettered = 0,
                Blip = new BlipResult("kill", true, 5000, 5000, 6100, 5000, 2, 4, 3, 2, 0, 0, null),
            },
            null,
            null,
            2000,
            null);

        BenchTarget goal = Assert.Single(BenchTargets.Evaluate([kill]), t => t.Goal.StartsWith("cluster-kill:", StringComparison.Ordinal));

        Assert.True(goal.Met);
        Assert.Equal("12 duplicates, 6100 in flight at the kill, 0 lost; drained", goal.Actual);
    }

    [Fact]
    public void ProductionTable_SeedMaxLengthRow_QueueColumnShowsItsArguments()
    {
        ScenarioResult row = new() { Name = "seed-max-length", Description = "", Process = "worker", QueueArguments = "x-max-length=200000, x-overflow=reject-publish" };

        string table = BenchReportWriter.ProductionTable([row]);

        Assert.Contains("| seed-max-length | 5 | classic (x-max-length=200000, x-overflow=reject-publish) |", table, StringComparison.Ordinal);
    }

    [Fact]
    public void BySize_MixedCompletions_EachSizesThroughputOverItsOwnDrain()
    {
        var ledger = new MessageLedger(TimeSpan.FromHours(1));
        for (int i = 0; i < 30; i++)
        {
            var id = Guid.NewGuid();
            bool large = i % 10 == 0;
            ledger.RecordSent(id, 0, large ? 4096 : 5);
            // Small ones answered 0.1 s apart from t=1; the three large ones at t=2, 4, 6.
            double response = large ? 2 + (i / 10 * 2) : 1 + (i * 0.1);
            ledger.RecordReply(new ReplyTimestamps(id, response - 0.5, response), response);
        }

        IReadOnlyList<SizeResult> sizes = BenchRunner.BySize(ledger, ledger.SnapshotCompleted());

        SizeResult small = sizes.Single(s => s.Values == 5);
        Assert.Equal(27, small.Replied);
        // First pick-up 1.1 - 0.5 = 0.6, last response 3.9: 27 replies in 3.3 s.
        Assert.Equal(27 / 3.3, small.ThroughputPerSecond!.Value, 6);
        SizeResult big = sizes.Single(s => s.Values == 4096);
        Assert.Equal(3, big.Sent);
        Assert.Equal(3 / 4.5, big.ThroughputPerSecond!.Value, 6);
    }
}
