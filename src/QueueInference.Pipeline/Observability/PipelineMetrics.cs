using System.Diagnostics;
using System.Diagnostics.Metrics;
using PrometheusHistogram = Prometheus.Histogram;

namespace QueueInference.Pipeline.Observability;

/// <summary>
/// The app's instruments, on the standard System.Diagnostics.Metrics API (meter
/// <see cref="MeterName"/>), so any exporter can read them; both hosts publish them in
/// Prometheus format. Durations are in seconds, as OpenTelemetry's conventions ask.
/// </summary>
/// <remarks>
/// What changes with every request and is a plain count (received, replied, in flight, bytes held, confirms
/// outstanding) is kept in fields and read through observable instruments when an exporter collects: a
/// measurement through the Prometheus adapter costs about a microsecond, and these five were eight of the
/// seventeen measurements each request made (docs/benchmark.md, CPU per message). The per-request
/// durations (<c>stage.duration</c>, seven a request, and <c>request.duration</c>) are prometheus-net
/// histograms of the same names, labels and buckets: through the adapter each cost about 2.5 µs (a lease
/// and a locked lookup per measurement), directly well under a tenth of that. The meter carries the same two
/// histograms (<c>stage.duration</c>, <c>request.duration</c>) for other exporters (OTLP), recorded only while one
/// listens to them (<see cref="Instrument.Enabled"/>); the Prometheus adapter leaves them out
/// (<see cref="PrometheusExport"/>), so /metrics has each once and, without an OTLP exporter, they cost a flag test.
/// </remarks>
public sealed class PipelineMetrics
{
    public const string MeterName = "QueueInference";

    /// <summary>The meter's copies of the two duration histograms Prometheus reads from prometheus-net directly.</summary>
    internal const string StageDurationName = "stage.duration";

    internal const string RequestDurationName = "request.duration";

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

    private readonly Counter<long> _failed;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _requeued;
    private readonly Counter<long> _deadLettered;
    private readonly UpDownCounter<long> _consumersPaused;
    private readonly Counter<long> _redeliveries;
    private static readonly PrometheusHistogram StageDuration = Prometheus.Metrics.CreateHistogram(
        "queueinference_stage_duration",
        "(s) Time in each stage: pick_up_wait (sent to picked up), io, compute_wait (queued for a compute thread until its batch starts), transformation, inference (the run the request was part of), reply (publish to confirm), ack (the worker's ack sent).",
        new Prometheus.HistogramConfiguration { LabelNames = ["stage"], Buckets = PrometheusExport.SecondsBuckets });

    private static readonly PrometheusHistogram RequestDuration = Prometheus.Metrics.CreateHistogram(
        "queueinference_request_duration",
        "(s) Picked up to confirmed reply.",
        new Prometheus.HistogramConfiguration { Buckets = PrometheusExport.SecondsBuckets });

    // One child per stage, looked up once rather than by label values on every measurement.
    private static readonly Dictionary<string, Prometheus.IHistogram> StageChildren = new[]
    {
        Stages.PickUpWait, Stages.Io, Stages.ComputeWait, Stages.Transformation, Stages.Inference, Stages.Reply, Stages.Ack,
    }.ToDictionary(stage => stage, stage => (Prometheus.IHistogram)StageDuration.WithLabels(stage));

    // The registry's histograms are per process; each instance records into them.
    private readonly PrometheusHistogram _stageDuration = StageDuration;
    private readonly Dictionary<string, Prometheus.IHistogram> _stageChildren = StageChildren;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _stageDurationOnMeter;
    private readonly Histogram<double> _requestDurationOnMeter;
    private long _receivedCount;
    private long _repliedCount;
    private long _inFlightCount;
    private long _inFlightByteCount;
    private long _confirmsOutstandingCount;
    private int _connected;
    private int _inFlightLimit;

    public PipelineMetrics(IMeterFactory meterFactory)
    {
        Meter meter = meterFactory.Create(MeterName);
        meter.CreateObservableCounter("requests.received", () => Interlocked.Read(ref _receivedCount), "{request}", "Requests delivered to this process.");
        meter.CreateObservableCounter("requests.replied", () => Interlocked.Read(ref _repliedCount), "{request}", "Requests answered with a confirmed reply.");
        _failed = meter.CreateCounter<long>("requests.failed", "{attempt}", "Failed attempts, by exception type; each is retried or dead-lettered.");
        _retried = meter.CreateCounter<long>("requests.retried", "{request}", "Failed requests parked in a retry queue.");
        _requeued = meter.CreateCounter<long>("requests.redelivered", "{request}", "Broker redeliveries put back with a redelivery count (poison guard).");
        _deadLettered = meter.CreateCounter<long>("requests.dead_lettered", "{request}", "Requests moved to the dead-letter queue, by reason.");
        meter.CreateObservableUpDownCounter("requests.in_flight", () => Interlocked.Read(ref _inFlightCount), "{request}", "Requests held by this process, unacked.");
        meter.CreateObservableUpDownCounter("requests.in_flight_bytes", () => Interlocked.Read(ref _inFlightByteCount), "By", "Memory the requests in flight hold, as the memory budget counts it (Consumer:MaxInFlightBytes).");
        _consumersPaused = meter.CreateUpDownCounter<long>("consumer.paused", "{consumer}", "Consumers paused because the memory budget could not afford what the broker may push to them.");
        _redeliveries = meter.CreateCounter<long>("requests.redeliveries", "{delivery}", "Broker redeliveries by what became of them: joined (a running attempt settles it), already_answered (acked, no second reply), reprocessed (its attempt here was given up), unknown (another consumer died holding it: the poison guard).");
        meter.CreateObservableUpDownCounter("publish.confirms_outstanding", () => Interlocked.Read(ref _confirmsOutstandingCount), "{message}", "Published replies and dead letters awaiting the broker's confirm.");
        _batchSize = meter.CreateHistogram<int>("inference.batch_size", "{request}", "Requests per ONNX Runtime run: 1 for a model without a batch dimension and for a failed batch's one-by-one reruns.");
        meter.CreateObservableGauge("consumer.connected", () => Volatile.Read(ref _connected), "{connection}", "1 while the consumer is connected to the broker.");
        var seconds = new InstrumentAdvice<double> { HistogramBucketBoundaries = PrometheusExport.SecondsBuckets };
        _stageDurationOnMeter = meter.CreateHistogram(StageDurationName, "s", "Time in each stage (tag stage), as queueinference_stage_duration.", tags: null, advice: seconds);
        _requestDurationOnMeter = meter.CreateHistogram(RequestDurationName, "s", "Picked up to confirmed reply, as queueinference_request_duration.", tags: null, advice: seconds);
        meter.CreateObservableGauge("consumer.in_flight_limit", () => Volatile.Read(ref _inFlightLimit), "{request}", "Requests the worker holds at most now: Consumer:MaxInFlight, lowered to what the pod can start soon when its CPU is the bottleneck; it starts at a tenth of that and grows as the pod uses it.");
    }

    /// <summary>Recent end-to-end latencies for the summary log line.</summary>
    public LatencyWindow RecentLatencies { get; } = new();

    public void Received() => Interlocked.Increment(ref _receivedCount);

    public void Replied(double pickedUpToConfirmedSeconds)
    {
        Interlocked.Increment(ref _repliedCount);
        RequestDuration.Observe(pickedUpToConfirmedSeconds);
        if (_requestDurationOnMeter.Enabled)
        {
            _requestDurationOnMeter.Record(pickedUpToConfirmedSeconds);
        }

        RecentLatencies.Record(pickedUpToConfirmedSeconds);
    }

    public void Failed(Exception error) => _failed.Add(1, new KeyValuePair<string, object?>("error", error.GetType().Name));

    public void Retried() => _retried.Add(1);

    public void Requeued() => _requeued.Add(1);

    public void DeadLettered(string reason) => _deadLettered.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void InFlight(int delta) => Interlocked.Add(ref _inFlightCount, delta);

    public void InFlightBytes(long delta) => Interlocked.Add(ref _inFlightByteCount, delta);

    public void ConsumersPaused(int delta)
    {
        if (delta != 0)
        {
            _consumersPaused.Add(delta);
        }
    }

    /// <summary>A redelivery arrived; <paramref name="outcome"/> is joined, already_answered, reprocessed or unknown.</summary>
    public void Redelivery(string outcome) => _redeliveries.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void ConfirmsOutstanding(int delta) => Interlocked.Add(ref _confirmsOutstandingCount, delta);

    public void Connected(bool connected) => Volatile.Write(ref _connected, connected ? 1 : 0);

    public void InFlightLimit(int limit) => Volatile.Write(ref _inFlightLimit, limit);

    public void Stage(string stage, double seconds)
    {
        (_stageChildren.TryGetValue(stage, out Prometheus.IHistogram? child) ? child : _stageDuration.WithLabels(stage)).Observe(seconds);
        if (_stageDurationOnMeter.Enabled)
        {
            _stageDurationOnMeter.Record(seconds, new KeyValuePair<string, object?>("stage", stage));
        }
    }

    public void Stage(string stage, long startTimestamp, long endTimestamp) => Stage(stage, Stopwatch.GetElapsedTime(startTimestamp, endTimestamp).TotalSeconds);

    public void InferenceBatch(int requests) => _batchSize.Record(requests);
}
