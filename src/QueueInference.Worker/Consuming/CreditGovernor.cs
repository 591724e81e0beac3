using System.Threading.Channels;
using QueueInference.Pipeline.Admission;
using QueueInference.Pipeline.Messaging;
using QueueInference.Pipeline.Observability;
using QueueInference.Pipeline.Processing;

namespace QueueInference.Worker.Consuming;

/// <summary>
/// Keeps a session's consumers within the memory budget. What the broker may push is every consumer's unused
/// prefetch, and any request can be of the largest valid size, so the worst case is the bytes held now plus
/// every free prefetch slot at <see cref="MemoryBudget.WorstRequestBytes"/>. Whenever that passes the budget,
/// consumers with the most to spare are paused (basic.cancel) — and always before acks that would let the
/// broker refill them go out — and paused consumers are resumed (a new basic.consume, a fresh window) in plan
/// order as requests end; once every consumer runs, one whose queue runs short of credit while the budget has
/// room is replaced by one with a fresh window (<see cref="RefreshStarvedAsync"/>). The same holds for the count
/// of requests against <see cref="InFlightLimit"/>, which follows the pod's capacity when its CPU is the
/// bottleneck. While the session holds nothing, one consumer always runs, so the requests a lost session left
/// holding the budget get the redeliveries they settle through. The plan's consumers also start one by one across
/// Consumer:PrefetchRampUp.
/// </summary>
internal sealed partial class CreditGovernor(
    MemoryBudget budget,
    InFlightLimit inFlightLimit,
    PipelineMetrics metrics,
    TimeProvider timeProvider,
    ILogger<CreditGovernor> logger) : IDisposable
{
    /// <summary>Resume only when a whole fresh window fits below this share of the budget, so pauses do not flap.</summary>
    private const double ResumeBelow = 0.9;

    /// <summary>A consumer resumes with a smaller window when the budget has room for no more, but not below 1/8 of its slot's.</summary>
    private const int SmallestWindowShare = 8;

    /// <summary>
    /// A consumer is replaced with a fresh window only when that adds at least this share of its slot's window: each
    /// replacement is three round trips (cancel, qos, consume), and a trickle of room, as when the in-flight limit
    /// binds, should not turn into a stream of them.
    /// </summary>
    private const int SmallestRefreshShare = 2;

    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Resumes need not follow each release: at most one look per this interval, however many requests end in it
    /// (each look is a wake-up, a timer and a pass over every consumer). Pauses do not wait for it: they run
    /// before every batch of acks.
    /// </summary>
    private static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(10);

    private readonly SemaphoreSlim _adjusting = new(1, 1);
    private readonly Channel<bool> _signals = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private ConsumerSession? _session;
    private IDeliveryHandler? _handler;
    private int _eligible;
    private int _paused;

    /// <summary>Consumers paused by the budget right now.</summary>
    public int Paused => Volatile.Read(ref _paused);

    /// <summary>Wakes the loop: something was held or given back.</summary>
    public void Signal() => _signals.Writer.TryWrite(true);

    /// <summary>Starts the session's consumers across the ramp, then keeps them within the budget until the session ends or <paramref name="cancellationToken"/>.</summary>
    public async Task RunAsync(ConsumerSession session, IDeliveryHandler handler, CancellationToken cancellationToken)
    {
        (_session, _handler, _eligible) = (session, handler, 0);
        long started = timeProvider.GetTimestamp();
        long limitUpdated = started;
        inFlightLimit.StartWindow();
        int slots = session.Plan.Slots.Count;
        TimeSpan stagger = session.Plan.Stagger;
        try
        {
            while (session.IsOpen && !cancellationToken.IsCancellationRequested)
            {
                TimeSpan elapsed = timeProvider.GetElapsedTime(started);
                _eligible = stagger <= TimeSpan.Zero ? slots : (int)Math.Min(slots, 1 + (elapsed.Ticks / Math.Max(1, stagger.Ticks)));
                if (timeProvider.GetElapsedTime(limitUpdated) >= InFlightLimit.UpdateInterval)
                {
                    limitUpdated = timeProvider.GetTimestamp();
                    int before = inFlightLimit.Limit;
                    int limit = inFlightLimit.Update(session.InFlight);
                    metrics.InFlightLimit(limit);
                    if (limit != before)
                    {
                        (ComputeLaneLoad.Sample sample, double capacity) = inFlightLimit.Last;
                        LogLimit(logger, before, limit, sample.Completed / Math.Max(sample.Seconds, 1e-9), capacity, sample.WaitSeconds * 1000, sample.Waiting, sample.BeforeSeconds);
                    }
                }

                await AdjustAsync(cancellationToken);
                await Task.Delay(MinInterval, timeProvider, cancellationToken);
                TimeSpan wait = _eligible < slots ? TimeSpan.FromTicks(Math.Min(Tick.Ticks, Math.Max(1, (stagger * _eligible - elapsed).Ticks))) : Tick;
                using var timeout = new CancellationTokenSource(wait, timeProvider);
                using var either = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
                try
                {
                    await _signals.Reader.ReadAsync(either.Token);
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested)
                {
                    // Tick: the ramp moves on, and a resume that did not fit may fit now.
                }
            }
        }
        finally
        {
            Interlocked.Exchange(ref _paused, 0);
            metrics.ConsumersPaused(0);
        }
    }

    /// <summary>Runs before any ack or nack is sent: pauses what could not afford the refill those acks allow.</summary>
    public Task BeforeAcksAsync() => _session is { IsOpen: true } ? AdjustAsync(CancellationToken.None, resume: false) : Task.CompletedTask;

    private async Task AdjustAsync(CancellationToken cancellationToken, bool resume = true)
    {
        ConsumerSession? session = _session;
        if (session is null)
        {
            return;
        }

        await _adjusting.WaitAsync(cancellationToken);
        try
        {
            await AdjustLockedAsync(session, resume, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && (BrokerErrors.IsConnectionFailure(ex) || BrokerErrors.Refusal(ex) is not null || ex is TimeoutException or OperationCanceledException))
        {
            // A consume or cancel the broker side could not answer: the session is over, and the consumer
            // sets everything up again on a new one.
            session.MarkLost($"{ex.GetType().Name} while adjusting consumers: {ex.Message}");
        }
        finally
        {
            _adjusting.Release();
        }
    }

    private async Task AdjustLockedAsync(ConsumerSession session, bool resume, CancellationToken cancellationToken)
    {
        long worst = budget.WorstRequestBytes;
        long credit = session.FreeCredit;
        long bytes = budget.ReservedBytes + credit * worst;
        // By count, only this session's deliveries: a lost session's requests settle through their redeliveries,
        // which come to this session's consumers and join them. Counted too, they left no credit for those
        // redeliveries when the loss came with Consumer:MaxInFlight held, and everything waited for the message
        // timeout. Their bytes still count: they are held until they settle.
        long count = session.InFlight + credit;
        int countLimit = inFlightLimit.Limit;
        while ((bytes > budget.LimitBytes || count > countLimit) && session.IsOpen)
        {
            int slot = PauseCandidate(session);
            if (slot < 0 || MustKeepProgressConsumer(session))
            {
                break;
            }

            long spare = session.CreditOf(slot);
            await session.PauseAsync(slot, cancellationToken);
            bytes -= spare * worst;
            count -= spare;
            LogPaused(logger, slot, spare, budget.ReservedBytes / 1048576.0, budget.LimitBytes / 1048576.0, session.InFlight, countLimit);
        }

        for (int slot = 0; resume && slot < _eligible && session.IsOpen; slot++)
        {
            if (session.IsActive(slot))
            {
                continue;
            }

            // A window as large as the slot's, or as the budget and the limit have room for; with nothing of this
            // session held and nothing consuming, one consumer always runs: progress. With nothing held at all its
            // window is the slot's, whatever it costs. With a lost session's requests holding the budget, it is at
            // least one: those requests settle only through their redeliveries, which come to this session's
            // consumers, and each that settles frees its bytes. Without it, every one of them waited for the message
            // timeout. The budget may then be passed by that one delivery, and only while nothing of this session
            // is held.
            ushort planned = session.Plan.Slots[slot].Prefetch;
            long room = Room(bytes, count, countLimit);
            bool stalled = session.ActiveConsumers == 0 && session.InFlight == 0;
            ushort prefetch = stalled && budget.ReservedBytes == 0 ? planned : (ushort)Math.Clamp(room, stalled ? 1 : 0, planned);
            if (!stalled && prefetch < Math.Max(1, planned / SmallestWindowShare))
            {
                break;
            }

            await session.ResumeAsync(slot, prefetch, _handler!, cancellationToken);
            bytes += prefetch * worst;
            count += prefetch;
            LogResumed(logger, slot, prefetch, budget.ReservedBytes / 1048576.0, bytes / 1048576.0);
        }

        if (resume && _eligible == session.Plan.Slots.Count && session.ActiveConsumers == _eligible && session.IsOpen)
        {
            await RefreshStarvedAsync(session, bytes, count, countLimit, cancellationToken);
        }

        int paused = Math.Max(0, _eligible - session.ActiveConsumers);
        metrics.ConsumersPaused(paused - Interlocked.Exchange(ref _paused, paused));
    }

    /// <summary>
    /// The one consumer left running while the session holds nothing is its progress (see the resumes): pausing it
    /// would only have the next look resume it.
    /// </summary>
    private static bool MustKeepProgressConsumer(ConsumerSession session) => session.ActiveConsumers == 1 && session.InFlight == 0;

    /// <summary>
    /// How many more deliveries a new window may allow: what fits below <see cref="ResumeBelow"/> of the budget at the
    /// largest valid size, and below the in-flight limit, given the bytes and the count already projected.
    /// </summary>
    private long Room(long bytes, long count, int countLimit) =>
        Math.Min(((long)(budget.LimitBytes * ResumeBelow) - bytes) / budget.WorstRequestBytes, countLimit - count);

    /// <summary>
    /// A window is sized once, when its consumer starts, by the room there was then: consumers started while the
    /// budget was tight keep small windows, and once every consumer runs, nothing would start a new one. Their sum
    /// then caps the requests in flight, and with a long I/O step the rate the pod takes (Little's law): arrivals
    /// beyond it wait in the broker while the budget has room. So when a queue's consumers have less than one
    /// planned window of credit left, the most spent of them is replaced by a consumer with a fresh window as
    /// large as the room allows (basic.cancel, then basic.consume; its deliveries so far are acked as before).
    /// </summary>
    private async Task RefreshStarvedAsync(ConsumerSession session, long bytes, long count, int countLimit, CancellationToken cancellationToken)
    {
        int slot = RefreshCandidate(session.Plan.Slots, session.IsActive, session.CreditOf);
        if (slot < 0)
        {
            return;
        }

        long worst = budget.WorstRequestBytes;
        ushort planned = session.Plan.Slots[slot].Prefetch;
        long spare = session.CreditOf(slot);
        var prefetch = (ushort)Math.Clamp(Room(bytes, count, countLimit) + spare, 0, planned);
        if (prefetch - spare < Math.Max(1, planned / SmallestRefreshShare))
        {
            return;
        }

        await session.PauseAsync(slot, cancellationToken);
        await session.ResumeAsync(slot, prefetch, _handler!, cancellationToken);
        LogRefreshed(logger, slot, spare, prefetch, budget.ReservedBytes / 1048576.0, (bytes + (prefetch - spare) * worst) / 1048576.0);
    }

    /// <summary>
    /// The consumer to replace with a fresh window: in a queue whose running consumers have less than its largest
    /// planned window of credit left between them, the one with the least credit (the first on a tie); -1 if no
    /// queue is that short.
    /// </summary>
    internal static int RefreshCandidate(IReadOnlyList<ConsumerPlan.Slot> slots, Func<int, bool> isActive, Func<int, int> creditOf)
    {
        var credit = new Dictionary<string, (long Free, int Window)>();
        for (int slot = 0; slot < slots.Count; slot++)
        {
            (long free, int window) = credit.GetValueOrDefault(slots[slot].Queue);
            credit[slots[slot].Queue] = (free + (isActive(slot) ? creditOf(slot) : 0), Math.Max(window, slots[slot].Prefetch));
        }

        int best = -1;
        int bestCredit = int.MaxValue;
        for (int slot = 0; slot < slots.Count; slot++)
        {
            (long free, int window) = credit[slots[slot].Queue];
            if (isActive(slot) && free < window && creditOf(slot) < bestCredit)
            {
                (best, bestCredit) = (slot, creditOf(slot));
            }
        }

        return best;
    }

    public void Dispose() => _adjusting.Dispose();

    /// <summary>
    /// The consumer to pause: the one with the most acks due, whose window has been used and whose credit only the
    /// coming acks would refill; among those with none due, the one with the most credit. Pausing a consumer that
    /// was just resumed, with its fresh window still empty, would stop intake while paused consumers wait for room
    /// (requests then wait in the broker), and the next look would resume another one: churn, and a longer pick-up.
    /// </summary>
    internal static int PauseCandidate(ConsumerSession session) =>
        PauseCandidate(session.Plan.Slots.Count, session.IsActive, session.CreditOf, session.AcksDueOf);

    internal static int PauseCandidate(int slots, Func<int, bool> isActive, Func<int, int> creditOf, Func<int, int> acksDueOf)
    {
        int best = -1;
        (int AcksDue, int Credit) bestKey = (0, 0);
        for (int slot = 0; slot < slots; slot++)
        {
            int credit = creditOf(slot);
            if (!isActive(slot) || credit <= 0)
            {
                continue;
            }

            // Ordered by acks due, then credit: any consumer with credit beats the (0, 0) start.
            (int AcksDue, int Credit) key = (Math.Min(acksDueOf(slot), credit), credit);
            if (key.CompareTo(bestKey) > 0)
            {
                (best, bestKey) = (slot, key);
            }
        }

        return best;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "In-flight limit {Before} -> {Limit}: compute lane {Rate:F0}/s (capacity {Capacity:F0}/s), waited {WaitMs:F0} ms, {Waiting} waiting, {BeforeSeconds:F2} s before it")]
    private static partial void LogLimit(ILogger logger, int before, int limit, double rate, double capacity, double waitMs, long waiting, double beforeSeconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Resumed consumer {Slot} with prefetch {Prefetch}: {ReservedMiB:F1} MiB held, {ProjectedMiB:F1} MiB at worst")]
    private static partial void LogResumed(ILogger logger, int slot, int prefetch, double reservedMiB, double projectedMiB);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Refreshed consumer {Slot}: its window of {Spare} free prefetch replaced by one of {Prefetch}: {ReservedMiB:F1} MiB held, {ProjectedMiB:F1} MiB at worst")]
    private static partial void LogRefreshed(ILogger logger, int slot, long spare, int prefetch, double reservedMiB, double projectedMiB);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Paused consumer {Slot} ({Credit} free prefetch): {ReservedMiB:F1} of {LimitMiB:F1} MiB and {InFlight} of {InFlightLimit} requests held")]
    private static partial void LogPaused(ILogger logger, int slot, long credit, double reservedMiB, double limitMiB, int inFlight, int inFlightLimit);
}
