namespace QueueInference.Pipeline.Admission;

/// <summary>
/// How many requests a pod should hold, so that a CPU-bound pod keeps its CPU busy without requests
/// queueing for it: what it holds beyond that waits inside the process, where no other pod can take it,
/// instead of in the broker, where the pods KEDA adds can. The compute lane reports how long each request
/// waited for a compute thread and how many it finished; every update, when requests waited longer than
/// <c>waitTarget</c> the lane is the bottleneck and its throughput is the pod's capacity, so by Little's law
/// the limit becomes that throughput times the time a request spends before and in the lane, plus the
/// target wait: <c>rate x (before + target)</c>. While requests wait less than half the target, the limit
/// grows again by a tenth per update, up to <c>maxInFlight</c> (Consumer:MaxInFlight stays the upper bound).
/// A pod whose I/O step dominates never waits for its CPU, so its limit stays at <c>maxInFlight</c>.
/// A <c>waitTarget</c> of zero turns the adaptation off.
/// </summary>
public sealed class InFlightLimit(int maxInFlight, TimeSpan waitTarget, TimeProvider timeProvider)
{
    /// <summary>The limit never drops below this: a few batches for each compute thread.</summary>
    public const int Floor = 64;

    private readonly Lock _lock = new();
    private long _lastUpdate = timeProvider.GetTimestamp();
    private long _completed;
    private double _waitSeconds;
    private long _waits;
    private double _beforeSeconds;
    private long _befores;
    private int _limit = -1;

    /// <summary>The requests the pod should hold now.</summary>
    public int Limit => Volatile.Read(ref _limit) is var limit and >= 0 ? limit : maxInFlight;

    public TimeSpan WaitTarget => waitTarget;

    /// <summary>A request spent <paramref name="beforeCompute"/> from pick-up (parse and I/O) until it queued for the compute lane.</summary>
    public void Queued(TimeSpan beforeCompute)
    {
        lock (_lock)
        {
            _beforeSeconds += beforeCompute.TotalSeconds;
            _befores++;
        }
    }

    /// <summary>A batch of <paramref name="requests"/> started after waiting <paramref name="waited"/> (its oldest) for a compute thread.</summary>
    public void Started(TimeSpan waited, int requests)
    {
        lock (_lock)
        {
            _waitSeconds += waited.TotalSeconds * requests;
            _waits += requests;
        }
    }

    public void Completed(int requests) => Interlocked.Add(ref _completed, requests);

    /// <summary>Recomputes the limit from what was reported since the last update; returns it.</summary>
    public int Update()
    {
        double seconds;
        double wait;
        double before;
        long completed;
        lock (_lock)
        {
            seconds = timeProvider.GetElapsedTime(_lastUpdate).TotalSeconds;
            _lastUpdate = timeProvider.GetTimestamp();
            wait = _waits == 0 ? 0 : _waitSeconds / _waits;
            before = _befores == 0 ? 0 : _beforeSeconds / _befores;
            completed = Interlocked.Exchange(ref _completed, 0);
            (_waitSeconds, _waits, _beforeSeconds, _befores) = (0, 0, 0, 0);
        }

        int limit = Limit;
        if (waitTarget <= TimeSpan.Zero || seconds <= 0 || completed == 0)
        {
            return limit;
        }

        if (wait > waitTarget.TotalSeconds)
        {
            double rate = completed / seconds;
            limit = (int)Math.Clamp(rate * (before + waitTarget.TotalSeconds), Math.Min(Floor, maxInFlight), maxInFlight);
        }
        else if (wait < waitTarget.TotalSeconds / 2)
        {
            limit = (int)Math.Min(maxInFlight, limit + Math.Max(1, limit / 10));
        }

        Volatile.Write(ref _limit, limit);
        return limit;
    }
}
