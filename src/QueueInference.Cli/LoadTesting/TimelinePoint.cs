namespace QueueInference.Cli.LoadTesting;

/// <summary>One second of a run: requests sent, replies received, and total-latency percentiles (s) of those replies.</summary>
public sealed record TimelinePoint(int Second, int Sent, int Replied, double TotalP50, double TotalP95, double TotalP99);
