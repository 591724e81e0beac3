namespace QueueInference.Worker.Consuming;

/// <summary>
/// A few lines per broker outage instead of one per request: when the connection is lost (with how much was
/// in flight), when consuming resumes (after how long), and once every request that was in flight at the loss
/// has ended, what became of them and of the broker's redeliveries.
/// </summary>
internal sealed partial class OutageReport(TimeProvider timeProvider, ILogger<OutageReport> logger)
{
    private readonly Lock _lock = new();
    private Outage? _current;

    public void Lost(ConsumerSession session, string reason)
    {
        lock (_lock)
        {
            Summarise();
            _current = new Outage(session, timeProvider.GetTimestamp(), session.InFlight);
        }

        LogLost(logger, reason, session.InFlight);
        if (session.InFlight == 0)
        {
            DeliveryOfLostSessionEnded(session, 0);
        }
    }

    public void Recovered(ConsumerSession session)
    {
        Outage? outage;
        lock (_lock)
        {
            outage = _current;
        }

        if (outage is not null)
        {
            LogRecovered(logger, timeProvider.GetElapsedTime(outage.Started).TotalSeconds, session.Endpoint, outage.InFlight);
        }
    }

    /// <summary>A redelivery after the loss: joined, already_answered or reprocessed (the metric's outcomes).</summary>
    public void Redelivery(string outcome)
    {
        lock (_lock)
        {
            _current?.Count(outcome);
        }
    }

    /// <summary>A request of the lost session ended without its ack: answered (ack lost) or given up to the broker.</summary>
    public void Ended(ConsumerSession session, bool answered)
    {
        lock (_lock)
        {
            if (_current?.Session == session)
            {
                _current.Count(answered ? "answered, ack lost" : "given up");
            }
        }
    }

    /// <summary>Called as each delivery of a lost session is released; the last one ends the outage's report.</summary>
    public void DeliveryOfLostSessionEnded(ConsumerSession session, int remaining)
    {
        if (remaining > 0)
        {
            return;
        }

        lock (_lock)
        {
            if (_current?.Session == session)
            {
                Summarise();
            }
        }
    }

    private void Summarise()
    {
        if (_current is not { } outage)
        {
            return;
        }

        _current = null;
        string counts = outage.Counts.Count == 0 ? "no redelivery" : string.Join(", ", outage.Counts.Select(c => $"{c.Value} {c.Key}"));
        LogSettled(logger, outage.InFlight, counts);
    }

    private sealed class Outage(ConsumerSession session, long started, int inFlight)
    {
        public ConsumerSession Session => session;

        public long Started => started;

        public int InFlight => inFlight;

        public Dictionary<string, int> Counts { get; } = [];

        public void Count(string what) => Counts[what] = Counts.GetValueOrDefault(what) + 1;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection lost ({Reason}) with {InFlight} request(s) in flight: they keep running and settle through the broker's redeliveries; reconnecting")]
    private static partial void LogLost(ILogger logger, string reason, int inFlight);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connection recovered after {Seconds:F1} s, to {Endpoint}; consuming again ({InFlight} request(s) of the lost connection still settling)")]
    private static partial void LogRecovered(ILogger logger, double seconds, string endpoint, int inFlight);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outage settled: of the {InFlight} request(s) in flight at the loss and their redeliveries: {Counts}")]
    private static partial void LogSettled(ILogger logger, int inFlight, string counts);
}
