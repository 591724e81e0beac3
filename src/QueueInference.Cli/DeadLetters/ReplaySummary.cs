namespace QueueInference.Cli.DeadLetters;

/// <summary>What a replay did: moved back, or left in the dead-letter queue (filtered out, no target, dry run).</summary>
public sealed record ReplaySummary(int Replayed, int Left);
