using QueueInference.Pipeline.Processing;

namespace QueueInference.Pipeline.Admission;

/// <summary>
/// How many requests a pod should hold, so that a CPU-bound pod keeps its CPU busy without requests
/// queueing for it: what it holds beyond that waits inside the process, where no other pod can take it,
/// instead of in the broker, where the pods KEDA adds can. Each update reads what the compute lane did
/// (<see cref="ComputeLaneLoad"/>). When requests waited longer than <c>waitTarget</c> for a compute thread, the
/// lane is the bottleneck and its throughput is the pod's capacity, so by Little's law the limit becomes
/// that throughput times the time a request spends before the lane (parse and I/O) plus the target wait:
/// <c>rate x (before + target)</c>. While requests wait less than half the target, the limit grows again by
/// a tenth per update, up to <c>maxInFlight</c> (Consumer:MaxInFlight stays the upper bound). A pod whose I/O
/// step dominates never waits for its CPU, so its limit stays at <c>maxInFlight</c>. A <c>waitTarget</c> of
/// zero turns the adaptation off.
/// </summary>
public sealed class InFlightLimit(int maxInFlight, TimeSpan waitTarget, ComputeLaneLoad load)
{
    /// <summary>The limit never drops below this: a few batches for each compute thread.</summary>
    public const int Floor = 64;

    private int _limit = -1;

    /// <summary>The requests the pod should hold now.</summary>
    public int Limit => Volatile.Read(ref _limit) is var limit and >= 0 ? limit : maxInFlight;

    /// <summary>Recomputes the limit from what the compute lane did since the last update; returns it.</summary>
    public int Update()
    {
        ComputeLaneLoad.Sample sample = load.TakeSample();
        int limit = Limit;
        if (waitTarget <= TimeSpan.Zero || sample.Seconds <= 0 || sample.Completed == 0)
        {
            return limit;
        }

        if (sample.WaitSeconds > waitTarget.TotalSeconds)
        {
            double rate = sample.Completed / sample.Seconds;
            limit = (int)Math.Clamp(rate * (sample.BeforeSeconds + waitTarget.TotalSeconds), Math.Min(Floor, maxInFlight), maxInFlight);
        }
        else if (sample.WaitSeconds < waitTarget.TotalSeconds / 2)
        {
            limit = Math.Min(maxInFlight, limit + Math.Max(1, limit / 10));
        }

        Volatile.Write(ref _limit, limit);
        return limit;
    }
}
