using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using QueueInference.Pipeline.Admission;
using QueueInference.Pipeline.Configuration;
using QueueInference.Pipeline.Contract;
using QueueInference.Pipeline.Observability;
using QueueInference.Pipeline.Processing;
using QueueInference.Worker.Consuming;
using QueueInference.Worker.Operations;

namespace QueueInference.Worker;

/// <summary>Registers the worker host's own RabbitMQ consumer over the shared pipeline, with its probes and summary log.</summary>
public static class QueueConsumerHostBuilderExtensions
{
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = SettingsSectionCheckExtensions.ReflectionBindingJustification)]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = SettingsSectionCheckExtensions.ReflectionBindingJustification)]
    public static TBuilder AddQueueConsumer<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<ConsumerOptions>()
            .Bind(builder.Configuration.GetSection(ConsumerOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStartAsSection();

        // The host must wait for the drain, not cut it at its default 30 s; starting the hosted
        // services together lets the broker connections, Kestrel and the model warm-up overlap.
        builder.Services.AddOptions<HostOptions>()
            .Configure<IOptions<ConsumerOptions>>((host, consumer) =>
            {
                host.ShutdownTimeout = consumer.Value.DrainTimeout + TimeSpan.FromSeconds(10);
                host.ServicesStartConcurrently = true;
            });

        builder.Services.AddSingleton<ConsumerState>();
        builder.Services.AddSingleton(sp =>
        {
            ConsumerOptions consumer = sp.GetRequiredService<IOptions<ConsumerOptions>>().Value;
            long worst = sp.GetRequiredService<RequestMemoryCost>().Of(sp.GetRequiredService<IOptions<ContractOptions>>().Value.MaxBodyBytes);
            if (consumer.MaxInFlightBytes > 0)
            {
                return new MemoryBudget(consumer.MaxInFlightBytes, worst, "Consumer:MaxInFlightBytes");
            }

            ContainerMemory memory = ContainerMemory.Detect();
            return new MemoryBudget((long)(memory.LimitBytes * ConsumerOptions.DefaultMemoryShare), worst, $"{ConsumerOptions.DefaultMemoryShare:P0} of {memory.LimitBytes / 1048576.0:F0} MiB, {memory.Source}");
        });
        builder.Services.AddSingleton(sp =>
        {
            ConsumerOptions consumer = sp.GetRequiredService<IOptions<ConsumerOptions>>().Value;
            // It starts at what the ramp's first consumers take (a tenth of the most), and doubles from there as the lane keeps up.
            return new InFlightLimit(consumer.MaxInFlight, consumer.ComputeWaitTarget, sp.GetRequiredService<ComputeLaneLoad>(), consumer.MaxInFlight / ConsumerPlan.RampConsumers);
        });
        builder.Services.AddSingleton(sp =>
        {
            ConsumerOptions consumer = sp.GetRequiredService<IOptions<ConsumerOptions>>().Value;
            return new AttemptRegistry(sp.GetRequiredService<TimeProvider>(), consumer.RedeliveryWindow, consumer.MaxInFlight);
        });
        builder.Services.AddHostedService<QueueConsumerService>();
        builder.Services.AddHostedService<SummaryLogger>();

        // One small port for probes and scraping (Observability:Port), whatever ASPNETCORE_URLS says.
        builder.Services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<ObservabilityOptions>>((kestrel, observability) => kestrel.ListenAnyIP(observability.Value.Port));
        // The health check service logs every probe that fails at Error, but a pod that is starting, has lost its
        // broker or is draining is not ready by design, and the consumer logs those states itself (ConsumerLivenessCheck
        // logs a stall): without this, a normal start logs "fail: ... Unhealthy" for each early readiness probe.
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Critical);
        builder.Services.AddHealthChecks()
            .AddCheck<ConsumerLivenessCheck>("consumer-progress", tags: [OperationalEndpointExtensions.LiveTag])
            .AddCheck<ConsumerReadinessCheck>("consumer-connected", tags: [OperationalEndpointExtensions.ReadyTag]);
        return builder;
    }
}
