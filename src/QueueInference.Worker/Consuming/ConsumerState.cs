namespace QueueInference.Worker.Consuming;

/// <summary>What the consumer is doing now, for health checks and the periodic summary.</summary>
public sealed class ConsumerState
{
    private int _inFlight;
    private long _replied;
    private long _deadLettered;
    private long _failed;

    public bool IsConnected { get; internal set; }

    public bool IsConsuming { get; internal set; }

    public bool IsDraining { get; internal set; }

    public int InFlight => Volatile.Read(ref _inFlight);

    public long Replied => Interlocked.Read(ref _replied);

    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    public long Failed => Interlocked.Read(ref _failed);

    internal void Started() => Interlocked.Increment(ref _inFlight);

    internal void Ended() => Interlocked.Decrement(ref _inFlight);

    internal void CountReplied() => Interlocked.Increment(ref _replied);

    internal void CountDeadLettered() => Interlocked.Increment(ref _deadLettered);

    internal void CountFailed() => Interlocked.Increment(ref _failed);
}
