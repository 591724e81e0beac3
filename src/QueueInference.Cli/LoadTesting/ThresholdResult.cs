namespace QueueInference.Cli.LoadTesting;

/// <summary>One evaluated <c>--fail-if</c> condition: <see cref="Failed"/> when the condition holds (or there is no data).</summary>
public sealed record ThresholdResult(string Condition, double Actual, bool Failed);
