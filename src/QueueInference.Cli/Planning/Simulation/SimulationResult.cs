namespace QueueInference.Cli.Planning.Simulation;

public sealed record SimulationResult(ScaleScenario Scenario, SimulationSummary Summary, IReadOnlyList<TimelineSample> Timeline);
