namespace QueueInference.Cli.LoadTesting;

/// <summary>The JSON report of one <c>qi load</c> run: what was asked, what was measured, which thresholds failed.</summary>
public sealed record LoadReport(
    string Tool,
    DateTimeOffset StartedAt,
    string Broker,
    string Mode,
    double? Rate,
    double? DurationSeconds,
    int Connections,
    int MaxOutstandingConfirms,
    string Values,
    double MaxScheduleLagSeconds,
    LoadSummary Summary,
    IReadOnlyList<ThresholdResult> Thresholds)
{
    public bool Failed => Thresholds.Any(t => t.Failed);
}
