namespace QueueInference.Cli.LoadTesting;

/// <summary>Everything a run measured; serialized as the JSON report. Latencies and times in seconds.</summary>
public sealed record LoadSummary(
    string RunId,
    string Queue,
    long Sent,
    long Replied,
    long Missing,
    long Duplicates,
    long Late,
    long Unknown,
    long PublishFailures,
    double SendSeconds,
    double SendRatePerSecond,
    double TotalTimeSeconds,
    double ReplyRatePerSecond,
    LatencyDistribution PickUp,
    LatencyDistribution Processing,
    LatencyDistribution Total,
    LatencyDistribution RoundTrip,
    IReadOnlyList<TimelinePoint> Timeline)
{
    /// <summary>
    /// Builds the summary from the ledger's snapshots. Total time is the seed's: last response −
    /// first send; reply rate is replies over that time; send rate is sends over first to last send.
    /// </summary>
    public static LoadSummary Create(string runId, string queue, MessageLedger ledger, long publishFailures)
    {
        IReadOnlyList<CompletedMessage> completed = ledger.SnapshotCompleted();
        IReadOnlyList<double> sends = ledger.SnapshotSendTimestamps();
        double firstSend = sends.Count == 0 ? 0 : sends.Min();
        double lastSend = sends.Count == 0 ? 0 : sends.Max();
        double sendSeconds = lastSend - firstSend;
        double totalTime = completed.Count == 0 ? 0 : completed.Max(c => c.ResponseTimestamp) - firstSend;
        return new LoadSummary(
            runId,
            queue,
            ledger.Sent,
            ledger.Replied,
            ledger.Missing,
            ledger.Duplicates,
            ledger.Late,
            ledger.Unknown,
            publishFailures,
            sendSeconds,
            sendSeconds > 0 ? sends.Count / sendSeconds : double.NaN,
            totalTime,
            totalTime > 0 ? completed.Count / totalTime : double.NaN,
            LatencyDistribution.From(completed.Select(c => c.PickUpLatency)),
            LatencyDistribution.From(completed.Select(c => c.ProcessingLatency)),
            LatencyDistribution.From(completed.Select(c => c.TotalLatency)),
            LatencyDistribution.From(completed.Select(c => c.RoundTripLatency)),
            BuildTimeline(firstSend, sends, completed));
    }

    /// <summary>Buckets sends and replies by whole seconds since the first send (replies by their arrival).</summary>
    public static IReadOnlyList<TimelinePoint> BuildTimeline(double origin, IReadOnlyList<double> sends, IReadOnlyList<CompletedMessage> completed)
    {
        if (sends.Count == 0 && completed.Count == 0)
        {
            return [];
        }

        int Bucket(double timestamp) => Math.Max(0, (int)Math.Floor(timestamp - origin));
        int last = Math.Max(
            sends.Count == 0 ? 0 : sends.Max(Bucket),
            completed.Count == 0 ? 0 : completed.Max(c => Bucket(c.ReceivedTimestamp)));
        var sent = new int[last + 1];
        foreach (double send in sends)
        {
            sent[Bucket(send)]++;
        }

        var latencies = new List<double>[last + 1];
        foreach (CompletedMessage message in completed)
        {
            (latencies[Bucket(message.ReceivedTimestamp)] ??= []).Add(message.TotalLatency);
        }

        var timeline = new List<TimelinePoint>(last + 1);
        for (int second = 0; second <= last; second++)
        {
            LatencyDistribution total = latencies[second] is { } values ? LatencyDistribution.From(values) : LatencyDistribution.Empty;
            timeline.Add(new TimelinePoint(second, sent[second], total.Count, total.P50, total.P95, total.P99));
        }

        return timeline;
    }
}
