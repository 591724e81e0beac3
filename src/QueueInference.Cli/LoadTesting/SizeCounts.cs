namespace QueueInference.Cli.LoadTesting;

/// <summary>A run's counts for the requests of one size (<paramref name="Values"/> values each).</summary>
public sealed record SizeCounts(int Values, long Sent, long Replied, long Duplicates);
