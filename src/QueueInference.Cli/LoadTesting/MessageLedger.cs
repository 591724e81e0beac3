using System.Collections.Concurrent;

namespace QueueInference.Cli.LoadTesting;

/// <summary>
/// The run's book of requests sent and replies received, matched by the body's <c>message_id</c>
/// as the seed client does. Thread-safe: the publisher and the reply consumer write concurrently.
/// </summary>
public sealed class MessageLedger(TimeSpan replyTimeout)
{
    private readonly ConcurrentDictionary<Guid, SentMessage> _sent = new();
    private readonly Lock _completedLock = new();
    private readonly List<CompletedMessage> _completed = [];
    private long _sentCount;
    private long _replied;
    private long _duplicates;
    private long _late;
    private long _unknown;
    private long _redelivered;

    public long Sent => Interlocked.Read(ref _sentCount);

    public long Replied => Interlocked.Read(ref _replied);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long Late => Interlocked.Read(ref _late);

    public long Unknown => Interlocked.Read(ref _unknown);

    /// <summary>Replies the broker delivered to this client a second time (its connection dropped before the ack): not the worker's duplicates.</summary>
    public long Redelivered => Interlocked.Read(ref _redelivered);

    /// <summary>Sent requests with neither an accepted nor a late reply.</summary>
    public long Missing => Sent - Replied - Late;

    public void RecordSent(Guid messageId, double sendTimestamp, int values = SeedRequest.DataLength)
    {
        if (!_sent.TryAdd(messageId, new SentMessage(sendTimestamp, values)))
        {
            throw new InvalidOperationException($"Message id {messageId} was recorded as sent twice.");
        }

        Interlocked.Increment(ref _sentCount);
    }

    /// <summary>Call when a request could not be published (nacked, returned, timed out), so it is not awaited.</summary>
    public void ForgetSent(Guid messageId)
    {
        if (_sent.TryRemove(messageId, out _))
        {
            Interlocked.Decrement(ref _sentCount);
        }
    }

    /// <param name="redelivered">
    /// The broker's redelivered flag. A redelivered reply identical (same pick-up and response timestamps) to
    /// one already booked is the broker handing this client the same message again after its connection
    /// dropped, not a second reply of the worker: it is counted as <see cref="Redelivered"/> only. A worker's
    /// second reply is a new message, first delivered without the flag, so it always counts as a duplicate.
    /// </param>
    public ReplyOutcome RecordReply(ReplyTimestamps reply, double receivedTimestamp, bool redelivered = false)
    {
        if (!_sent.TryGetValue(reply.MessageId, out SentMessage? sent))
        {
            Interlocked.Increment(ref _unknown);
            return ReplyOutcome.Unknown;
        }

        lock (sent)
        {
            (double, double) identity = (reply.PickUpTimestamp, reply.ResponseTimestamp);
            if (redelivered && sent.Seen.Contains(identity))
            {
                Interlocked.Increment(ref _redelivered);
                return ReplyOutcome.Redelivered;
            }

            sent.Seen.Add(identity);
        }

        if (Interlocked.Increment(ref sent.Replies) > 1)
        {
            Interlocked.Increment(ref _duplicates);
            return ReplyOutcome.Duplicate;
        }

        if (receivedTimestamp - sent.SendTimestamp > replyTimeout.TotalSeconds)
        {
            Interlocked.Increment(ref _late);
            return ReplyOutcome.Late;
        }

        lock (_completedLock)
        {
            _completed.Add(new CompletedMessage(sent.SendTimestamp, reply.PickUpTimestamp, reply.ResponseTimestamp, receivedTimestamp, sent.Values));
        }

        Interlocked.Increment(ref _replied);
        return ReplyOutcome.Accepted;
    }

    /// <summary>A body that is not a seed reply at all.</summary>
    public void RecordUnparseable() => Interlocked.Increment(ref _unknown);

    public IReadOnlyList<CompletedMessage> SnapshotCompleted()
    {
        lock (_completedLock)
        {
            return [.. _completed];
        }
    }

    public IReadOnlyList<double> SnapshotSendTimestamps() => [.. _sent.Values.Select(s => s.SendTimestamp)];

    public bool WasSent(Guid messageId) => _sent.ContainsKey(messageId);

    /// <summary>Whether <paramref name="messageId"/> was sent in this run and has at least one reply (in time or late).</summary>
    public bool HasReply(Guid messageId) => _sent.TryGetValue(messageId, out SentMessage? sent) && Volatile.Read(ref sent.Replies) > 0;

    /// <summary>The requests sent in this run without any reply so far (their message_id, also their correlation_id).</summary>
    public IReadOnlyList<Guid> Unanswered() => [.. _sent.Where(s => Volatile.Read(ref s.Value.Replies) == 0).Select(s => s.Key)];

    /// <summary>Sent, replied (in time) and duplicate counts per request size, smallest size first.</summary>
    public IReadOnlyList<SizeCounts> CountsBySize()
    {
        var counts = new SortedDictionary<int, (long Sent, long Replied, long Duplicates)>();
        foreach (SentMessage sent in _sent.Values)
        {
            int replies = Volatile.Read(ref sent.Replies);
            (long s, long r, long d) = counts.GetValueOrDefault(sent.Values);
            counts[sent.Values] = (s + 1, r, d + Math.Max(0, replies - 1));
        }

        foreach (CompletedMessage completed in SnapshotCompleted())
        {
            (long s, long r, long d) = counts[completed.Values];
            counts[completed.Values] = (s, r + 1, d);
        }

        return [.. counts.Select(pair => new SizeCounts(pair.Key, pair.Value.Sent, pair.Value.Replied, pair.Value.Duplicates))];
    }

    private sealed class SentMessage(double sendTimestamp, int values)
    {
        public double SendTimestamp { get; } = sendTimestamp;

        public int Values { get; } = values;

        /// <summary>(pick-up, response) of every reply booked: tells a broker redelivery of one from a new reply.</summary>
        public List<(double PickUp, double Response)> Seen { get; } = new(1);

        public int Replies;
    }
}
