using QueueInference.Pipeline.Processing;

namespace QueueInference.Pipeline.Admission;

/// <summary>
/// How many requests a pod should hold, so that a CPU-bound pod keeps its CPU busy without requests
/// queueing for it: what it holds beyond that waits inside the process, where no other pod can take it,
/// instead of in the broker, where the pods KEDA adds can. Each update (every <see cref="UpdateInterval"/>) reads
/// what the compute lane did (<see cref="ComputeLaneLoad"/>). When requests wait longer than <c>waitTarget</c> for
/// a compute thread, the lane is the bottleneck and its throughput is the pod's capacity, so by Little's law the
/// limit becomes that throughput times the time a request spends before the lane (parse and I/O) plus the target
/// wait: <c>rate x (before + target)</c>. The wait is the longer of two: the mean wait of the requests the lane
/// started, and the wait ahead of the newest one (those waiting now over the capacity). The second is known as
/// soon as requests pile up, so a pod that starts in front of a backlog stops taking deliveries within an update
/// or two instead of after its first requests have waited the whole target. The throughput is the best rate of
/// the last <see cref="RateWindow"/> (as TCP BBR takes its bandwidth): a moment when the CPU went to something else
/// (a burst of deliveries, a GC) does not collapse the limit. The limit starts at <c>initialLimit</c> and, as TCP's
/// slow start, doubles every <see cref="UpdateInterval"/> until the first time the lane is found saturated; after
/// that it grows by a quarter per <see cref="GrowthPeriod"/>, up to <c>maxInFlight</c> (Consumer:MaxInFlight stays
/// the upper bound). It grows only while requests wait less than half the target and the pod holds at least half
/// of the limit: a limit the pod does not use says nothing of its capacity (as TCP validates its window, RFC 7661),
/// and one grown idle would let the next backlog in whole before the lane could be measured. A pod started in front
/// of a backlog with no I/O step therefore holds its first window while the lane shows what it can do, instead of
/// whatever the consumers took before the first update saw requests pile up. A pod whose I/O step dominates never
/// waits for its CPU, so its limit reaches <c>maxInFlight</c> within a few updates and stays there. A
/// <c>waitTarget</c> of zero turns the adaptation off. A long wait lowers the limit only
/// while the lane's threads were busy (at least <see cref="BusyShare"/> of the time): a request that waits for a
/// lane that is mostly idle waited for a CPU taken by something else (a GC, another process on the node), and
/// holding fewer requests would only leave the arrivals in the broker; at light load the lane's rate is the
/// arrival rate, not the pod's capacity. Such a wait leaves the limit where it is.
/// </summary>
public sealed class InFlightLimit(int maxInFlight, TimeSpan waitTarget, ComputeLaneLoad load, int initialLimit)
{
    /// <summary>The limit never drops below this: a few batches for each compute thread.</summary>
    public const int Floor = 64;

    /// <summary>The share of its threads' time the lane must have been running batches for its waits to count.</summary>
    public const double BusyShare = 0.8;

    /// <summary>How often the worker updates the limit: often enough to stop taking deliveries before a backlog fills the pod.</summary>
    public static readonly TimeSpan UpdateInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The capacity is the best rate of this much recent time.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(10);

    /// <summary>The limit grows by a quarter per this much time while requests wait less than half the target, however often it is updated.</summary>
    public static readonly TimeSpan GrowthPeriod = TimeSpan.FromMilliseconds(500);

    private const double GrowthPerPeriod = 1.25;

    /// <summary>Slow start multiplies the limit by this per <see cref="UpdateInterval"/>.</summary>
    private const double SlowStartGrowthPerUpdate = 2;

    private readonly double[] _rates = new double[(int)(RateWindow / UpdateInterval)];
    private int _next;
    private double _before;
    private int _limit = waitTarget <= TimeSpan.Zero ? maxInFlight : Bounded(initialLimit, maxInFlight);
    private bool _slowStart = true;

    /// <summary>The requests the pod should hold now.</summary>
    public int Limit => Volatile.Read(ref _limit);

    /// <summary>The sample the last update used, and the capacity it took from the recent rates.</summary>
    public (ComputeLaneLoad.Sample Sample, double Capacity) Last { get; private set; }

    /// <summary>
    /// Starts the next update's window now, keeping the limit: the time before the consumers start (or while the
    /// connection was down) says nothing of the lane, and counted as idle time it would hide a lane already saturated.
    /// </summary>
    public void StartWindow() => load.TakeSample();

    /// <summary>Recomputes the limit from what the compute lane did since the last update, the pod holding <paramref name="held"/> requests now; returns it.</summary>
    public int Update(int held)
    {
        ComputeLaneLoad.Sample sample = load.TakeSample();
        int limit = Limit;
        if (waitTarget <= TimeSpan.Zero || sample.Seconds <= 0)
        {
            Last = (sample, _rates.Max());
            return limit;
        }

        if (sample.Completed > 0)
        {
            _rates[_next] = sample.Completed / sample.Seconds;
            _next = (_next + 1) % _rates.Length;
            // An update in which nothing new reached the lane (those it finished queued earlier) says nothing of it.
            _before = sample.BeforeSeconds > 0 ? sample.BeforeSeconds : _before;
        }

        double capacity = _rates.Max();
        Last = (sample, capacity);
        if (sample.Completed == 0 && sample.Waiting > 0)
        {
            // Requests wait for a lane that finished none of them yet (a first batch, a long one): no rate to judge by.
            return limit;
        }

        double wait = sample.Completed == 0 ? 0 : Math.Max(sample.WaitSeconds, sample.Waiting / capacity);
        bool saturated = sample.Utilization >= BusyShare;
        if (saturated && wait > waitTarget.TotalSeconds)
        {
            limit = Bounded(capacity * (_before + waitTarget.TotalSeconds), maxInFlight);
            _slowStart = false;
        }
        else if (wait < waitTarget.TotalSeconds / 2 && 2L * held >= limit)
        {
            (double factor, TimeSpan period) = _slowStart ? (SlowStartGrowthPerUpdate, UpdateInterval) : (GrowthPerPeriod, GrowthPeriod);
            double growth = Math.Pow(factor, sample.Seconds / period.TotalSeconds) - 1;
            limit = (int)Math.Min(maxInFlight, limit + Math.Max(1, Math.Round(limit * growth)));
        }

        Volatile.Write(ref _limit, limit);
        return limit;
    }

    /// <summary>A limit between the floor (or the most, if that is lower) and the most.</summary>
    private static int Bounded(double limit, int maxInFlight) => (int)Math.Clamp(limit, Math.Min(Floor, maxInFlight), maxInFlight);
}
