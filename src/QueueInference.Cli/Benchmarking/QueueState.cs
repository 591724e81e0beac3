namespace QueueInference.Cli.Benchmarking;

/// <summary>A queue's messages at one moment, exact (asked of the queue itself): ready, and delivered but not yet acknowledged.</summary>
public sealed record QueueState(long Ready, long Unacknowledged);
