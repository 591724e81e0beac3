using QueueInference.Pipeline.Messaging;
using QueueInference.Pipeline.Observability;

namespace QueueInference.Worker.Consuming;

/// <summary>What the consumer is doing now, for health checks, metrics and the periodic summary.</summary>
public sealed class ConsumerState(PipelineMetrics metrics, TimeProvider timeProvider)
{
    private long _lastFinished = timeProvider.GetTimestamp();
    private bool _connected;
    private int _inFlight;
    private long _replied;
    private long _deadLettered;
    private long _failed;
    private long _retried;
    private long _requeued;
    private long _abandoned;
    private string? _refusal;

    public bool IsConnected
    {
        get => Volatile.Read(ref _connected);
        internal set
        {
            Volatile.Write(ref _connected, value);
            metrics.Connected(value);
        }
    }

    public bool IsConsuming { get; internal set; }

    /// <summary>What the broker refused, when it refuses this worker in a way retrying rarely fixes; null otherwise.</summary>
    public string? Refusal
    {
        get => Volatile.Read(ref _refusal);
        internal set => Volatile.Write(ref _refusal, value);
    }

    public bool IsDraining { get; internal set; }

    public int InFlight => Volatile.Read(ref _inFlight);

    public long Replied => Interlocked.Read(ref _replied);

    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    /// <summary>Failed attempts (each is then retried or dead-lettered).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    public long Retried => Interlocked.Read(ref _retried);

    /// <summary>Redelivered requests put back with a redelivery count (the poison guard).</summary>
    public long Requeued => Interlocked.Read(ref _requeued);

    /// <summary>Requests given back to the broker unsettled (their connection was lost, or the drain ran out).</summary>
    public long Abandoned => Interlocked.Read(ref _abandoned);

    /// <summary>Time since a request last finished (settled or abandoned), for the liveness check.</summary>
    public TimeSpan SinceLastFinished => timeProvider.GetElapsedTime(Interlocked.Read(ref _lastFinished));

    internal void Started()
    {
        Interlocked.Increment(ref _inFlight);
        metrics.Received();
        metrics.InFlight(1);
    }

    internal void Ended()
    {
        Interlocked.Exchange(ref _lastFinished, timeProvider.GetTimestamp());
        Interlocked.Decrement(ref _inFlight);
        metrics.InFlight(-1);
    }

    internal void CountReplied() => Interlocked.Increment(ref _replied);

    internal void CountDeadLettered() => Interlocked.Increment(ref _deadLettered);

    internal void CountAbandoned() => Interlocked.Increment(ref _abandoned);

    internal void CountFailed(Exception error)
    {
        Interlocked.Increment(ref _failed);
        metrics.Failed(error);
    }

    internal void Count(FailureOutcome outcome)
    {
        switch (outcome)
        {
            case FailureOutcome.Retried:
                Interlocked.Increment(ref _retried);
                break;
            case FailureOutcome.Requeued:
                Interlocked.Increment(ref _requeued);
                break;
            default:
                Interlocked.Increment(ref _deadLettered);
                break;
        }
    }
}
