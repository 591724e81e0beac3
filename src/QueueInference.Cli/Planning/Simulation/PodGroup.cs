namespace QueueInference.Cli.Planning.Simulation;

/// <summary>
/// Pods created at the same moment behave identically, so they are simulated once and counted
/// <see cref="Count"/> times. Every amount inside is per pod.
/// </summary>
public sealed class PodGroup(int count, double createdSeconds, double readySeconds)
{
    public int Count { get; set; } = count;

    public double CreatedSeconds { get; } = createdSeconds;

    public double ReadySeconds { get; } = readySeconds;

    public PodState State { get; set; } = PodState.Starting;

    public double DrainStartedSeconds { get; set; }

    /// <summary>Delivered (prefetched) but not started: the pod has no free concurrency slot yet.</summary>
    public CohortFifo Prefetched { get; private init; } = new();

    /// <summary>Waiting on the I/O step, ordered by when it ends.</summary>
    public CohortFifo InIo { get; private init; } = new();

    /// <summary>I/O done, waiting for the pod's CPU.</summary>
    public CohortFifo AwaitingCpu { get; private init; } = new();

    /// <summary>Messages in a concurrency slot (I/O or CPU), per pod.</summary>
    public double Active => InIo.Total + AwaitingCpu.Total;

    /// <summary>Unacknowledged messages the broker counts against this pod, per pod.</summary>
    public double Held => Prefetched.Total + Active;

    /// <summary>Moves <paramref name="pods"/> of this group into a new group with the same state.</summary>
    public PodGroup Split(int pods)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(pods, Count);
        Count -= pods;
        return new PodGroup(pods, CreatedSeconds, ReadySeconds)
        {
            State = State,
            DrainStartedSeconds = DrainStartedSeconds,
            Prefetched = Prefetched.Clone(),
            InIo = InIo.Clone(),
            AwaitingCpu = AwaitingCpu.Clone(),
        };
    }
}
