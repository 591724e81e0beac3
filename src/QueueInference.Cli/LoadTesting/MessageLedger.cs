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

    public long Sent => Interlocked.Read(ref _sentCount);

    public long Replied => Interlocked.Read(ref _replied);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long Late => Interlocked.Read(ref _late);

    public long Unknown => Interlocked.Read(ref _unknown);

    /// <summary>Sent requests with neither an accepted nor a late reply.</summary>
    public long Missing => Sent - Replied - Late;

    public void RecordSent(Guid messageId, double sendTimestamp)
    {
        if (!_sent.TryAdd(messageId, new SentMessage(sendTimestamp)))
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

    public ReplyOutcome RecordReply(ReplyTimestamps reply, double receivedTimestamp)
    {
        if (!_sent.TryGetValue(reply.MessageId, out SentMessage? sent))
        {
            Interlocked.Increment(ref _unknown);
            return ReplyOutcome.Unknown;
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
            _completed.Add(new CompletedMessage(sent.SendTimestamp, reply.PickUpTimestamp, reply.ResponseTimestamp, receivedTimestamp));
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

    private sealed class SentMessage(double sendTimestamp)
    {
        public double SendTimestamp { get; } = sendTimestamp;

        public int Replies;
    }
}
