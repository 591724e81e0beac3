using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using QueueInference.Pipeline.Observability;

namespace QueueInference.Pipeline.Tests.Tracing;

/// <summary>The meter's copies of the duration histograms: recorded for an OTLP-style reader, never for Prometheus.</summary>
[Collection(TracingTestGroup.Name)]
public sealed class MeterDurationTests
{
    [Fact]
    public void Stage_MeterProviderListening_RecordsStageDurationOnTheMeterWithTheSecondsBuckets()
    {
        // Arrange
        using ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new PipelineMetrics(services.GetRequiredService<IMeterFactory>());
        var exported = new List<Metric>();
        using MeterProvider provider = Sdk.CreateMeterProviderBuilder().AddMeter(PipelineMetrics.MeterName).AddInMemoryExporter(exported).Build();

        // Act
        metrics.Stage(PipelineMetrics.Stages.Io, 3.0);
        metrics.Stage(PipelineMetrics.Stages.Reply, 0.002);
        metrics.Replied(3.01);
        provider.ForceFlush();

        // Assert
        Metric stage = Assert.Single(exported, m => m.Name == "stage.duration");
        Assert.Equal("s", stage.Unit);
        var points = new List<MetricPoint>();
        foreach (ref readonly MetricPoint point in stage.GetMetricPoints())
        {
            points.Add(point);
        }

        Assert.Equal(["io", "reply"], points.Select(p => Tag(p, "stage")).Order(StringComparer.Ordinal));
        MetricPoint io = points.Single(p => Tag(p, "stage") == "io");
        Assert.Equal(1, io.GetHistogramCount());
        Assert.Equal(3.0, io.GetHistogramSum());
        var bounds = new List<double>();
        foreach (HistogramBucket bucket in io.GetHistogramBuckets())
        {
            bounds.Add(bucket.ExplicitBound);
        }

        Assert.Equal([.. PrometheusExport.SecondsBuckets, double.PositiveInfinity], bounds);
        Assert.Single(exported, m => m.Name == "request.duration");
    }

    [Fact]
    public void Stage_PrometheusAdapterOnly_LeavesTheMeterHistogramsDisabled()
    {
        // Arrange: what every host has, the Prometheus adapter's listener, and no other.
        PrometheusExport.Configure();
        using ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new PipelineMetrics(services.GetRequiredService<IMeterFactory>());
        var enabled = new List<string>();
        using var probe = new MeterListener { InstrumentPublished = (instrument, _) => { if (instrument.Meter.Name == PipelineMetrics.MeterName && instrument.Enabled) enabled.Add(instrument.Name); } };

        // Act
        probe.Start();
        metrics.Stage(PipelineMetrics.Stages.Io, 3.0);

        // Assert: the adapter listens to the meter's other instruments, not to these two.
        Assert.Contains("requests.failed", enabled);
        Assert.DoesNotContain("stage.duration", enabled);
        Assert.DoesNotContain("request.duration", enabled);
    }

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (KeyValuePair<string, object?> tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value as string;
            }
        }

        return null;
    }
}
