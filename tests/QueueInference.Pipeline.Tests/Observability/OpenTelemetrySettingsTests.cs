using Microsoft.Extensions.Configuration;
using QueueInference.Pipeline.Observability;

namespace QueueInference.Pipeline.Tests.Observability;

public sealed class OpenTelemetrySettingsTests
{
    private static OpenTelemetrySettings From(params (string Key, string Value)[] variables) =>
        OpenTelemetrySettings.From(new ConfigurationBuilder().AddInMemoryCollection(variables.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build());

    [Fact]
    public void From_NoVariables_ExportsNothing()
    {
        // Act
        OpenTelemetrySettings settings = From();

        // Assert
        Assert.False(settings.Any);
    }

    [Fact]
    public void From_Endpoint_ExportsEverySignalOverOtlp()
    {
        // Act
        OpenTelemetrySettings settings = From(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317"));

        // Assert
        Assert.Equal(new OpenTelemetrySettings(TracesOtlp: true, TracesConsole: false, MetricsOtlp: true, MetricsConsole: false, LogsOtlp: true), settings);
    }

    [Fact]
    public void From_TracesEndpointOnly_ExportsTracesAlone()
    {
        // Act
        OpenTelemetrySettings settings = From(("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318/v1/traces"));

        // Assert
        Assert.Equal(new OpenTelemetrySettings(TracesOtlp: true, TracesConsole: false, MetricsOtlp: false, MetricsConsole: false, LogsOtlp: false), settings);
    }

    [Fact]
    public void From_ExporterNone_TurnsThatSignalOff()
    {
        // Act
        OpenTelemetrySettings settings = From(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317"), ("OTEL_METRICS_EXPORTER", "none"), ("OTEL_LOGS_EXPORTER", "none"));

        // Assert
        Assert.Equal(new OpenTelemetrySettings(TracesOtlp: true, TracesConsole: false, MetricsOtlp: false, MetricsConsole: false, LogsOtlp: false), settings);
    }

    [Fact]
    public void From_ConsoleExporter_NeedsNoEndpoint()
    {
        // Act
        OpenTelemetrySettings settings = From(("OTEL_TRACES_EXPORTER", "Console"));

        // Assert
        Assert.Equal(new OpenTelemetrySettings(TracesOtlp: false, TracesConsole: true, MetricsOtlp: false, MetricsConsole: false, LogsOtlp: false), settings);
    }

    [Fact]
    public void From_SdkDisabled_ExportsNothing()
    {
        // Act
        OpenTelemetrySettings settings = From(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317"), ("OTEL_TRACES_EXPORTER", "otlp,console"), ("OTEL_SDK_DISABLED", "true"));

        // Assert
        Assert.False(settings.Any);
    }

    [Theory]
    [InlineData("OTEL_SERVICE_NAME", "inference-eu", true)]
    [InlineData("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=prod, service.name=inference-eu", true)]
    [InlineData("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=prod", false)]
    public void NamesService_ResourceVariables_SaysWhetherTheServiceIsNamed(string key, string value, bool expected)
    {
        // Arrange
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection([new KeyValuePair<string, string?>(key, value)]).Build();

        // Act
        bool named = OpenTelemetrySettings.NamesService(configuration);

        // Assert
        Assert.Equal(expected, named);
    }
}
