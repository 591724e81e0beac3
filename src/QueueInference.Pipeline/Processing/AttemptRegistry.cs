using System.Collections.Concurrent;

namespace QueueInference.Pipeline.Processing;

/// <summary>
/// The requests this process is working on, and those it ended recently, by <see cref="RequestKey"/>, so that a
/// broker redelivery after a connection loss costs at most a retry, never a second reply:
/// <list type="bullet">
/// <item>a redelivery of a request still running here joins that attempt (<see cref="AdmissionKind.Joined"/>);</item>
/// <item>a redelivery of a request answered here whose ack was lost with the connection is acked without a
/// second reply (<see cref="AdmissionKind.AlreadyAnswered"/>);</item>
/// <item>a redelivery of a request this process gave up because its connection was lost is processed again,
/// without counting as a crash (<see cref="AdmissionKind.OwnRedelivery"/>).</item>
/// </list>
/// Bounds: running attempts are bounded by the host's in-flight limits. Ended requests are remembered for
/// <c>window</c> when their ack could not be sent (or they were given up), at most <c>2 x capacity</c> of them,
/// and for 60 s when it was sent (an ack written just before a connection dies may be lost too), at most
/// <c>capacity</c> of them; the oldest go first. About 70 bytes each.
/// </summary>
public sealed class AttemptRegistry(TimeProvider timeProvider, TimeSpan window, int capacity) : IDisposable
{
    /// <summary>How long the keys of requests answered and acked are kept, in case the ack was lost after all.</summary>
    public static readonly TimeSpan AckedMemory = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<RequestKey, Attempt> _running = new();
    private readonly Lock _lock = new();
    private readonly EndedKeys _acked = new(capacity);
    private readonly EndedKeys _unacked = new(2 * capacity);
    private readonly CancellationTokenSource _stopWaiting = new();

    public int Running => _running.Count;

    public int Remembered
    {
        get
        {
            lock (_lock)
            {
                return _acked.Count + _unacked.Count;
            }
        }
    }

    /// <summary>Decides what to do with a delivery; for the kinds that start work, the new attempt is registered.</summary>
    public AdmissionDecision Admit(RequestKey key, IDelivery delivery, bool redelivered)
    {
        bool ownLoss = false;
        // The redelivered flag is not relied on here: a copy of a request whose every delivery here was lost can
        // only be that request handed back (by the broker, or resent by its client while no answer could come), so
        // it joins the running attempt either way. A copy while a delivery of it is still live is another request.
        if (_running.TryGetValue(key, out Attempt? running) && (redelivered || !running.HasLiveDelivery) && running.Join(delivery))
        {
            return new AdmissionDecision(AdmissionKind.Joined, running);
        }

        lock (_lock)
        {
            long now = timeProvider.GetTimestamp();
            if (redelivered && _acked.TryTake(key, now, out _))
            {
                return new AdmissionDecision(AdmissionKind.AlreadyAnswered, null);
            }

            // Only requests whose delivery was lost are remembered here, so the same holds.
            if (_unacked.TryTake(key, now, out bool answered))
            {
                if (answered)
                {
                    return new AdmissionDecision(AdmissionKind.AlreadyAnswered, null);
                }

                ownLoss = true;
            }
        }

        var attempt = new Attempt(key, delivery, _stopWaiting.Token);
        // A fresh delivery alike to one already running is a second request the client sent byte for byte
        // alike: it runs on its own, unregistered, and a redelivery can only join the first.
        _running.TryAdd(key, attempt);
        AdmissionKind kind = ownLoss ? AdmissionKind.OwnRedelivery : !redelivered ? AdmissionKind.New : AdmissionKind.UnknownRedelivery;
        return new AdmissionDecision(kind, attempt);
    }

    /// <summary>
    /// Ends an attempt that settled its request (a confirmed reply, dead letter or retry copy): returns all its
    /// deliveries, for the host to ack the live ones and release the rest. When none is live any more, the key
    /// is remembered, so the broker's redelivery is acked without a second answer.
    /// </summary>
    public IReadOnlyList<IDelivery> EndSettled(Attempt attempt)
    {
        IReadOnlyList<IDelivery> deliveries = End(attempt, out bool anyLive);
        Remember(attempt.Key, answered: true, acked: anyLive);
        return deliveries;
    }

    /// <summary>An ack of a settled attempt could not be sent after all (its connection went away just then).</summary>
    public void AckLost(RequestKey key) => Remember(key, answered: true, acked: false);

    /// <summary>
    /// Ends an attempt given up without settling because its delivery was lost (the broker redelivers the
    /// request): its redelivery is processed again here, and does not count as a crash.
    /// </summary>
    public IReadOnlyList<IDelivery> EndAbandoned(Attempt attempt)
    {
        IReadOnlyList<IDelivery> deliveries = End(attempt, out _);
        Remember(attempt.Key, answered: false, acked: false);
        return deliveries;
    }

    /// <summary>Ends an attempt whose deliveries the host hands back itself (a nack): nothing to remember.</summary>
    public IReadOnlyList<IDelivery> EndUnsettled(Attempt attempt) => End(attempt, out _);

    /// <summary>Attempts waiting for a redelivery give up at once (the worker is draining: none will come).</summary>
    public void StopWaitingForRedeliveries() => _stopWaiting.Cancel();

    public void Dispose() => _stopWaiting.Dispose();

    private IReadOnlyList<IDelivery> End(Attempt attempt, out bool anyLive)
    {
        IReadOnlyList<IDelivery> deliveries = attempt.End(out anyLive);
        _running.TryRemove(new KeyValuePair<RequestKey, Attempt>(attempt.Key, attempt));
        return deliveries;
    }

    private void Remember(RequestKey key, bool answered, bool acked)
    {
        lock (_lock)
        {
            long now = timeProvider.GetTimestamp();
            if (acked)
            {
                _acked.Add(key, answered, now + Ticks(AckedMemory), now);
            }
            else
            {
                _unacked.Add(key, answered, now + Ticks(window), now);
            }
        }
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * timeProvider.TimestampFrequency);

    /// <summary>Keys with an expiry, evicted oldest first when full. Not thread-safe: the registry locks around it.</summary>
    private sealed class EndedKeys(int capacity)
    {
        private readonly Dictionary<RequestKey, (bool Answered, long Expires)> _entries = [];
        private readonly Queue<(RequestKey Key, long Expires)> _order = new();

        public int Count => _entries.Count;

        public void Add(RequestKey key, bool answered, long expires, long now)
        {
            Trim(now);
            while (_entries.Count >= Math.Max(1, capacity) && _order.TryDequeue(out (RequestKey Key, long Expires) oldest))
            {
                Remove(oldest);
            }

            _entries[key] = (answered, expires);
            _order.Enqueue((key, expires));
        }

        public bool TryTake(RequestKey key, long now, out bool answered)
        {
            Trim(now);
            bool found = _entries.Remove(key, out (bool Answered, long Expires) entry);
            answered = found && entry.Answered;
            return found;
        }

        private void Trim(long now)
        {
            while (_order.TryPeek(out (RequestKey Key, long Expires) oldest) && oldest.Expires <= now)
            {
                _order.Dequeue();
                Remove(oldest);
            }
        }

        /// <summary>Removes the entry only if it is this queue item's (the key may have been added again since).</summary>
        private void Remove((RequestKey Key, long Expires) item)
        {
            if (_entries.TryGetValue(item.Key, out (bool Answered, long Expires) entry) && entry.Expires == item.Expires)
            {
                _entries.Remove(item.Key);
            }
        }
    }
}
