namespace QueueInference.Pipeline.Processing;

/// <summary>The end of one request: replied, dead-lettered for <see cref="Reason"/>, or abandoned to the broker.</summary>
public readonly record struct ProcessingOutcome(ProcessingStatus Status, string? Reason)
{
    public static ProcessingOutcome Replied { get; } = new(ProcessingStatus.Replied, null);

    public static ProcessingOutcome Abandoned { get; } = new(ProcessingStatus.Abandoned, null);

    public static ProcessingOutcome DeadLettered(string reason) => new(ProcessingStatus.DeadLettered, reason);
}
