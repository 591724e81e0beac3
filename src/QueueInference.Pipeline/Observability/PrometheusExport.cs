using Prometheus;

namespace QueueInference.Pipeline.Observability;

/// <summary>
/// Publishes the app's meter and the runtime's (GC, thread pool, CPU) in prometheus-net's default
/// registry, through its Meter adapter, with histogram buckets that resolve both the sub-
/// millisecond CPU stages and the seconds-long I/O step.
/// </summary>
public static class PrometheusExport
{
    internal static readonly double[] SecondsBuckets =
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 3.5, 4, 5, 7.5, 10, 15, 30, 60];

    private static int _configured;

    /// <summary>Idempotent; both hosts call it while registering, before anything is measured.</summary>
    public static void Configure()
    {
        if (Interlocked.Exchange(ref _configured, 1) == 1)
        {
            return;
        }

        // EventCounters duplicate the runtime meter at a polling cost; debug metrics are prometheus-net's own.
        Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions { SuppressEventCounters = true, SuppressDebugMetrics = true });
        Metrics.ConfigureMeterAdapter(options =>
        {
            // The meter's duration histograms are for other exporters: prometheus-net records its own (PipelineMetrics).
            options.InstrumentFilterPredicate = instrument =>
                instrument.Meter.Name == "System.Runtime"
                || (instrument.Meter.Name == PipelineMetrics.MeterName && instrument.Name is not (PipelineMetrics.StageDurationName or PipelineMetrics.RequestDurationName));
            options.ResolveHistogramBuckets = instrument => instrument.Unit == "s" ? SecondsBuckets : Histogram.ExponentialBuckets(1, 2, 16);
        });

        // The adapter's Meter listener starts on the first collection; without one now, everything
        // recorded before the first scrape would be lost. Instruments created later are picked up.
        Metrics.DefaultRegistry.CollectAndExportAsTextAsync(Stream.Null).GetAwaiter().GetResult();
    }
}
