using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using QueueInference.Pipeline.Observability;

namespace QueueInference.Pipeline.Benchmarks;

/// <summary>
/// The duration measurements one request makes (seven stages and the end-to-end duration), into prometheus-net as
/// always, and onto the meter when an OpenTelemetry MeterProvider (an OTLP metrics export) listens to it.
/// </summary>
[MemoryDiagnoser]
public class MeterDurationBenchmarks : IDisposable
{
    private ServiceProvider _services = null!;
    private PipelineMetrics _metrics = null!;
    private MeterProvider? _provider;

    /// <summary>Whether an OpenTelemetry MeterProvider reads the meter, as with an OTLP metrics endpoint set.</summary>
    [Params(false, true)]
    public bool OtlpMetrics { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        PrometheusExport.Configure();
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _provider = OtlpMetrics ? Sdk.CreateMeterProviderBuilder().AddMeter(PipelineMetrics.MeterName).AddInMemoryExporter(new List<Metric>()).Build() : null;
        _metrics = new PipelineMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
    }

    [GlobalCleanup]
    public void Cleanup() => Dispose();

    public void Dispose()
    {
        _provider?.Dispose();
        _services?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public void OneRequest()
    {
        _metrics.Stage(PipelineMetrics.Stages.PickUpWait, 0.004);
        _metrics.Stage(PipelineMetrics.Stages.Io, 3.0);
        _metrics.Stage(PipelineMetrics.Stages.ComputeWait, 0.0002);
        _metrics.Stage(PipelineMetrics.Stages.Transformation, 0.000002);
        _metrics.Stage(PipelineMetrics.Stages.Inference, 0.00001);
        _metrics.Stage(PipelineMetrics.Stages.Reply, 0.002);
        _metrics.Stage(PipelineMetrics.Stages.Ack, 0.003);
        _metrics.Replied(3.01);
    }
}
