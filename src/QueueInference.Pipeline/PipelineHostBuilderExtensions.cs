using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using QueueInference.Pipeline.Admission;
using QueueInference.Pipeline.Configuration;
using QueueInference.Pipeline.Contract;
using QueueInference.Pipeline.Inference;
using QueueInference.Pipeline.Messaging;
using QueueInference.Pipeline.Observability;
using QueueInference.Pipeline.Processing;
using QueueInference.Pipeline.Stages;

namespace QueueInference.Pipeline;

/// <summary>The one registration both hosts (the worker and the Functions app) call.</summary>
public static class PipelineHostBuilderExtensions
{
    /// <summary>
    /// Registers the pipeline and binds its options, each from its own configuration section,
    /// validated when the host starts. To replace the I/O step or the transformation, register
    /// your <see cref="IIoStep"/> or <see cref="ITransformation"/> after this call.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = SettingsSectionCheckExtensions.ReflectionBindingJustification)]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = SettingsSectionCheckExtensions.ReflectionBindingJustification)]
    public static TBuilder AddInferencePipeline<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        IServiceCollection services = builder.Services;
        IConfiguration configuration = builder.Configuration;

        // Every TimeSpan option, the host's own included, reads 500ms, 3s, 1m, 1h or hh:mm:ss and refuses a bare number.
        Durations.UseForTimeSpanSettings();
        services.AddOptions<ContractOptions>().Bind(configuration.GetSection(ContractOptions.SectionName)).ValidateDataAnnotations().ValidateOnStartAsSection();
        services.AddOptions<IoStepOptions>().Bind(configuration.GetSection(IoStepOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.Delay >= TimeSpan.Zero && o.Jitter >= TimeSpan.Zero, "IoStep:Delay and IoStep:Jitter must not be negative.")
            .Validate(o => Enum.IsDefined(o.Distribution), "IoStep:Distribution must be None, Uniform or Exponential.")
            .ValidateOnStartAsSection();
        services.AddOptions<TransformationOptions>().Bind(configuration.GetSection(TransformationOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => Enum.IsDefined(o.Mode), "Transformation:Mode: must be Fast, SeedCost or Features.")
            .ValidateOnStartAsSection();
        services.AddOptions<InferenceOptions>().Bind(configuration.GetSection(InferenceOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.MaxBatchDelay >= TimeSpan.Zero && o.MaxBatchDelay <= TimeSpan.FromSeconds(1), "Inference:MaxBatchDelay: must be between 0 and 1s.")
            .ValidateOnStartAsSection();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InferenceOptions>, ModelFileValidation>());
        services.AddOptions<RabbitMQOptions>().Bind(configuration.GetSection(RabbitMQOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(
                o => BrokerAddress.TryParse(o.ConnectionString, out _),
                "RabbitMQ:ConnectionString: must be an amqp:// or amqps:// URI, with one host or a comma-separated host list (amqp://user:password@node1:5672,node2:5672/vhost).")
            .Validate(o => Enum.IsDefined(o.QueueType), "RabbitMQ:QueueType: must be Quorum or Classic.")
            .Validate(o => o.RequestQueues.Count > 0, "RabbitMQ:RequestQueue: must name at least one queue.")
            .ValidateOnStartAsSection();
        services.AddOptions<ReplyOptions>().Bind(configuration.GetSection(ReplyOptions.SectionName)).ValidateDataAnnotations().ValidateOnStartAsSection();
        services.AddOptions<RetryOptions>().Bind(configuration.GetSection(RetryOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.MaxDelay >= o.InitialDelay, "Retry:MaxDelay must not be shorter than Retry:InitialDelay.")
            .ValidateOnStartAsSection();
        services.AddOptions<PipelineOptions>().Bind(configuration.GetSection(PipelineOptions.SectionName)).ValidateDataAnnotations().ValidateOnStartAsSection();

        services.AddOptions<ObservabilityOptions>().Bind(configuration.GetSection(ObservabilityOptions.SectionName)).ValidateDataAnnotations().ValidateOnStartAsSection();

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<PipelineMetrics>();
        services.AddSingleton<RequestParser>();
        services.AddSingleton(sp => new RequestMemoryCost(sp.GetRequiredService<IOptions<ContractOptions>>().Value.MaxDataLength));
        services.AddSingleton<IIoStep, SimulatedIoStep>();
        // The built-in transformation Transformation:Mode picks; one registered after this call replaces it.
        services.AddSingleton<ITransformation>(sp =>
        {
            IOptions<TransformationOptions> transformation = sp.GetRequiredService<IOptions<TransformationOptions>>();
            return transformation.Value.Mode == TransformationMode.Features ? new FeaturesTransformation() : new SeedTransformation(transformation);
        });
        services.AddSingleton<OnnxInferenceEngine>();
        services.AddSingleton<ModelReadiness>();
        services.AddSingleton<RabbitMqConnectionFactory>();
        services.AddSingleton<ConfirmingPublisher>();
        services.AddSingleton<IMessagePublisher>(sp => sp.GetRequiredService<ConfirmingPublisher>());
        services.AddSingleton<BrokerTopology>();
        services.AddSingleton<ReplyPublisher>();
        services.AddSingleton<DeadLetterPublisher>();
        services.AddSingleton<RetryScheduler>();
        services.AddSingleton<BatchComposer>();
        services.AddSingleton<ComputeLaneLoad>();
        services.AddSingleton<ComputeScheduler>();
        services.AddSingleton<InferencePipeline>();

        // Loads the model before any consumer starts: a model that fails to load stops the host.
        services.AddHostedService<ModelLoader>();
        PrometheusExport.Configure();
        return builder;
    }

    /// <summary>
    /// Serves the metrics in Prometheus format at <c>http://+:{Observability:Port}/metrics</c>, for
    /// hosts without an HTTP server of their own (the Functions app). The worker host maps
    /// /metrics on its own endpoint instead.
    /// </summary>
    public static TBuilder AddPrometheusMetricServer<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHostedService<PrometheusMetricServer>();
        return builder;
    }
}
