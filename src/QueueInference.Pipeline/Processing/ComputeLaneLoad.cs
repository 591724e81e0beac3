namespace QueueInference.Pipeline.Processing;

/// <summary>
/// What the compute lane did since it was last asked: how long requests took to reach it (pick-up to queued:
/// parse and I/O), how long they waited in it for a thread, how many it finished, how much of the time its
/// threads were running batches rather than waiting for one, and how many requests wait for it now. The worker's
/// <see cref="Admission.InFlightLimit"/> reads it to tell when the CPU is the pod's bottleneck.
/// </summary>
public sealed class ComputeLaneLoad(TimeProvider timeProvider)
{
    private readonly Lock _lock = new();
    private long _since = timeProvider.GetTimestamp();
    private double _beforeSeconds;
    private long _befores;
    private double _waitSeconds;
    private long _waits;
    private long _completed;
    private double _busySeconds;
    private int _threads;
    private long _waiting;

    /// <summary>
    /// What happened over <see cref="Seconds"/>: mean time to reach the lane, mean wait in it, requests finished, the
    /// share of the lane's thread time spent running batches (1: never idle), and the requests waiting for a thread
    /// when the sample was taken.
    /// </summary>
    public readonly record struct Sample(double Seconds, double BeforeSeconds, double WaitSeconds, long Completed, double Utilization = 1, long Waiting = 0);

    /// <summary>A compute thread started: utilization is busy time over the time of every thread.</summary>
    public void ThreadStarted() => Interlocked.Increment(ref _threads);

    /// <summary>A request queued for the lane <paramref name="sincePickUp"/> after it was picked up.</summary>
    public void Queued(TimeSpan sincePickUp)
    {
        lock (_lock)
        {
            _beforeSeconds += sincePickUp.TotalSeconds;
            _befores++;
            _waiting++;
        }
    }

    /// <summary>A batch of <paramref name="requests"/> started after its requests waited <paramref name="totalWait"/> in all.</summary>
    public void Started(TimeSpan totalWait, int requests)
    {
        lock (_lock)
        {
            _waitSeconds += totalWait.TotalSeconds;
            _waits += requests;
            _waiting -= requests;
        }
    }

    /// <summary>A batch of <paramref name="requests"/> finished after running for <paramref name="busy"/>.</summary>
    public void Completed(int requests, TimeSpan busy)
    {
        lock (_lock)
        {
            _completed += requests;
            _busySeconds += busy.TotalSeconds;
        }
    }

    /// <summary>What happened since the last sample; starts the next.</summary>
    public Sample TakeSample()
    {
        lock (_lock)
        {
            double seconds = timeProvider.GetElapsedTime(_since).TotalSeconds;
            _since = timeProvider.GetTimestamp();
            double threadSeconds = seconds * Math.Max(1, Volatile.Read(ref _threads));
            var sample = new Sample(
                seconds,
                _befores == 0 ? 0 : _beforeSeconds / _befores,
                _waits == 0 ? 0 : _waitSeconds / _waits,
                _completed,
                threadSeconds <= 0 ? 0 : Math.Min(1, _busySeconds / threadSeconds),
                Math.Max(0, _waiting));
            (_beforeSeconds, _befores, _waitSeconds, _waits, _completed, _busySeconds) = (0, 0, 0, 0, 0, 0);
            return sample;
        }
    }
}
