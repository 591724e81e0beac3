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
}
