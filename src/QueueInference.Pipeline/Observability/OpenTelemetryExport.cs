using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace QueueInference.Pipeline.Observability;

/// <summary>
/// OpenTelemetry export of the app's spans (<see cref="PipelineTracing"/>), its meter and the runtime's, and its
/// logs, switched on by the standard <c>OTEL_*</c> variables alone (<see cref="OpenTelemetrySettings"/>). Without
/// them nothing is registered, so no listener is attached and the spans are never created.
/// </summary>
/// <remarks>
/// RabbitMQ.Client's own sources (<c>RabbitMQ.Client.Publisher</c>, <c>RabbitMQ.Client.Subscriber</c>) are not
/// listened to: while its publisher source has a listener, the client starts a span for every publish and writes
/// its <c>traceparent</c> into the message, so every reply would carry one, also to requests that carried none (the
/// seed contract has no such header), and the dead letters and retry copies would get a new one.
/// </remarks>
public static class OpenTelemetryExport
{
    /// <summary>
    /// Registers what the <c>OTEL_*</c> variables ask for; null when they ask for nothing. The Functions app adds
    /// its own defaults to the builder returned.
    /// </summary>
    public static IOpenTelemetryBuilder? AddOpenTelemetryExport<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        OpenTelemetrySettings settings = OpenTelemetrySettings.From(builder.Configuration);
        if (!settings.Any)
        {
            return null;
        }

        OpenTelemetryBuilder telemetry = builder.Services.AddOpenTelemetry();
        if (!OpenTelemetrySettings.NamesService(builder.Configuration))
        {
            // Added after the SDK's own resource detectors, so only when OTEL_SERVICE_NAME or OTEL_RESOURCE_ATTRIBUTES do not name the service.
            telemetry.ConfigureResource(resource => resource.AddService(OpenTelemetrySettings.DefaultServiceName));
        }

        if (settings.Traces)
        {
            // The sampler is the SDK's: OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG, parentbased_always_on by default.
            telemetry.WithTracing(tracing =>
            {
                tracing.AddSource(PipelineTracing.SourceName);
                if (settings.TracesConsole)
                {
                    tracing.AddConsoleExporter();
                }
            });
        }

        if (settings.Metrics)
        {
            telemetry.WithMetrics(metrics =>
            {
                metrics.AddMeter(PipelineMetrics.MeterName, "System.Runtime");
                if (settings.MetricsConsole)
                {
                    metrics.AddConsoleExporter();
                }
            });
        }

        if (settings.AnyOtlp)
        {
            // The cross-signal registration reads every OTEL_EXPORTER_OTLP_* variable, per-signal endpoints included.
            telemetry.UseOtlpExporter();
            if (!settings.LogsOtlp)
            {
                builder.Logging.AddFilter<OpenTelemetryLoggerProvider>(null, LogLevel.None);
            }
        }

        return telemetry;
    }
}
