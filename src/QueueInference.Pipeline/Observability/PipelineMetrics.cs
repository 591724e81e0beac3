using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace QueueInference.Pipeline.Observability;

/// <summary>
/// The app's instruments, on the standard System.Diagnostics.Metrics API (meter
/// <see cref="MeterName"/>), so any exporter can read them; both hosts publish them in
/// Prometheus format. Durations are in seconds, as OpenTelemetry's conventions ask.
/// </summary>
public sealed class PipelineMetrics
{
    public const string MeterName = "QueueInference";

    /// <summary>Stage names used as the <c>stage</c> tag of <c>qi.stage.duration</c>.</summary>
    public static class Stages
    {
        public const string PickUpWait = "pick_up_wait";
        public const string Io = "io";
        public const string ComputeWait = "compute_wait";
        public const string Transformation = "transformation";
        public const string Inference = "inference";
        public const string Reply = "reply";
        public const string Ack = "ack";
    }

    private readonly Counter<long> _received;
    private readonly Counter<long> _replied;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _requeued;
    private readonly Counter<long> _deadLettered;
    private readonly UpDownCounter<long> _inFlight;
    private readonly UpDownCounter<long> _inFlightBytes;
    private readonly UpDownCounter<long> _consumersPaused;
    private readonly Counter<long> _redeliveries;
    private readonly UpDownCounter<long> _confirmsOutstanding;
    private readonly Histogram<double> _stageDuration;
    private readonly Histogram<double> _requestDuration;
    private readonly Histogram<int> _batchSize;
    private int _connected;
    private int _inFlightLimit;

    public PipelineMetrics(IMeterFactory meterFactory)
    {
        Meter meter = meterFactory.Create(MeterName);
        _received = meter.CreateCounter<long>("requests.received", "{request}", "Requests delivered to this process.");
        _replied = meter.CreateCounter<long>("requests.replied", "{request}", "Requests answered with a confirmed reply.");
        _failed = meter.CreateCounter<long>("requests.failed", "{attempt}", "Failed attempts, by exception type; each is retried or dead-lettered.");
        _retried = meter.CreateCounter<long>("requests.retried", "{request}", "Failed requests parked in a retry queue.");
        _requeued = meter.CreateCounter<long>("requests.redelivered", "{request}", "Broker redeliveries put back with a redelivery count (poison guard).");
        _deadLettered = meter.CreateCounter<long>("requests.dead_lettered", "{request}", "Requests moved to the dead-letter queue, by reason.");
        _inFlight = meter.CreateUpDownCounter<long>("requests.in_flight", "{request}", "Requests held by this process, unacked.");
        _inFlightBytes = meter.CreateUpDownCounter<long>("requests.in_flight_bytes", "By", "Memory the requests in flight hold, as the memory budget counts it (Consumer:MaxInFlightBytes).");
        _consumersPaused = meter.CreateUpDownCounter<long>("consumer.paused", "{consumer}", "Consumers paused because the memory budget could not afford what the broker may push to them.");
        _redeliveries = meter.CreateCounter<long>("requests.redeliveries", "{delivery}", "Broker redeliveries by what became of them: joined (a running attempt settles it), already_answered (acked, no second reply), reprocessed (its attempt here was given up), unknown (another consumer died holding it: the poison guard).");
        _confirmsOutstanding = meter.CreateUpDownCounter<long>("publish.confirms_outstanding", "{message}", "Published replies and dead letters awaiting the broker's confirm.");
        _stageDuration = meter.CreateHistogram<double>("stage.duration", "s", "Time in each stage: pick_up_wait (sent to picked up), io, compute_wait (queued for a compute thread until its batch starts), transformation, inference (the run the request was part of), reply (publish to confirm), ack (the worker's ack sent).");
        _requestDuration = meter.CreateHistogram<double>("request.duration", "s", "Picked up to confirmed reply.");
        _batchSize = meter.CreateHistogram<int>("inference.batch_size", "{request}", "Requests per ONNX Runtime run: 1 for a model without a batch dimension and for a failed batch's one-by-one reruns.");
        meter.CreateObservableGauge("consumer.connected", () => Volatile.Read(ref _connected), "{connection}", "1 while the consumer is connected to the broker.");
        meter.CreateObservableGauge("consumer.in_flight_limit", () => Volatile.Read(ref _inFlightLimit), "{request}", "Requests the worker holds at most now: Consumer:MaxInFlight, lowered to what the pod can start soon when its CPU is the bottleneck.");
    }

    /// <summary>Recent end-to-end latencies for the summary log line.</summary>
    public LatencyWindow RecentLatencies { get; } = new();

    public void Received() => _received.Add(1);

    public void Replied(double pickedUpToConfirmedSeconds)
    {
        _replied.Add(1);
        _requestDuration.Record(pickedUpToConfirmedSeconds);
        RecentLatencies.Record(pickedUpToConfirmedSeconds);
    }

    public void Failed(Exception error) => _failed.Add(1, new KeyValuePair<string, object?>("error", error.GetType().Name));

    public void Retried() => _retried.Add(1);

    public void Requeued() => _requeued.Add(1);

    public void DeadLettered(string reason) => _deadLettered.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void InFlight(int delta) => _inFlight.Add(delta);

    public void InFlightBytes(long delta) => _inFlightBytes.Add(delta);

    public void ConsumersPaused(int delta)
    {
        if (delta != 0)
        {
            _consumersPaused.Add(delta);
        }
    }

    /// <summary>A redelivery arrived; <paramref name="outcome"/> is joined, already_answered, reprocessed or unknown.</summary>
    public void Redelivery(string outcome) => _redeliveries.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void ConfirmsOutstanding(int delta) => _confirmsOutstanding.Add(delta);

    public void Connected(bool connected) => Volatile.Write(ref _connected, connected ? 1 : 0);

    public void InFlightLimit(int limit) => Volatile.Write(ref _inFlightLimit, limit);

    public void Stage(string stage, double seconds) => _stageDuration.Record(seconds, new KeyValuePair<string, object?>("stage", stage));

    public void Stage(string stage, long startTimestamp, long endTimestamp) => Stage(stage, Stopwatch.GetElapsedTime(startTimestamp, endTimestamp).TotalSeconds);

    public void InferenceBatch(int requests) => _batchSize.Record(requests);
}
