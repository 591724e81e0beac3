namespace QueueInference.Pipeline.Processing;

/// <summary>The end of one request: replied, or dead-lettered for <see cref="Reason"/>.</summary>
public readonly record struct ProcessingOutcome(ProcessingStatus Status, string? Reason)
{
    public static ProcessingOutcome Replied { get; } = new(ProcessingStatus.Replied, null);

    public static ProcessingOutcome DeadLettered(string reason) => new(ProcessingStatus.DeadLettered, reason);
}
