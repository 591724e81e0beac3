namespace QueueInference.Cli.Benchmarking;

/// <summary>Reads the worker's in-flight and connected gauges, and its batch-size histogram, from its /metrics endpoint (Observability:Port).</summary>
public sealed class WorkerMetrics(int port) : IDisposable
{
    public const string InFlightMetric = "queueinference_requests_in_flight";

    public const string ConnectedMetric = "queueinference_consumer_connected";

    /// <summary>Requests per ONNX Runtime run (a histogram: its _sum is requests, its _count runs).</summary>
    public const string BatchSizeMetric = "queueinference_inference_batch_size";

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(2) };

    public Uri Endpoint { get; } = new($"http://127.0.0.1:{port}/metrics");

    /// <summary>The gauges now; both null while /metrics does not answer (starting, gone), each null when absent.</summary>
    public async Task<WorkerMetricsSample> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            string text = await _http.GetStringAsync(Endpoint, cancellationToken);
            double? inFlight = PrometheusText.Read(text, InFlightMetric);
            double? connected = PrometheusText.Read(text, ConnectedMetric);
            return new WorkerMetricsSample((long?)inFlight, connected is null ? null : connected > 0);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new WorkerMetricsSample(null, null);
        }
    }

    /// <summary>The batch-size histogram's totals now; null while /metrics does not answer or before the first run.</summary>
    public async Task<InferenceBatches?> ReadBatchesAsync(CancellationToken cancellationToken)
    {
        try
        {
            string text = await _http.GetStringAsync(Endpoint, cancellationToken);
            return PrometheusText.Read(text, BatchSizeMetric + "_count") is { } runs && PrometheusText.Read(text, BatchSizeMetric + "_sum") is { } requests
                ? new InferenceBatches((long)runs, requests)
                : null;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public void Dispose() => _http.Dispose();
}
