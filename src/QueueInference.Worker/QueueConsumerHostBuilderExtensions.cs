using Microsoft.Extensions.Options;
using QueueInference.Worker.Consuming;

namespace QueueInference.Worker;

/// <summary>Registers the worker host's own RabbitMQ consumer over the shared pipeline.</summary>
public static class QueueConsumerHostBuilderExtensions
{
    public static TBuilder AddQueueConsumer<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<ConsumerOptions>()
            .Bind(builder.Configuration.GetSection(ConsumerOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // The host must wait for the drain, not cut it at its default 30 s.
        builder.Services.AddOptions<HostOptions>()
            .Configure<IOptions<ConsumerOptions>>((host, consumer) => host.ShutdownTimeout = consumer.Value.DrainTimeout + TimeSpan.FromSeconds(10));

        builder.Services.AddSingleton<ConsumerState>();
        builder.Services.AddHostedService<QueueConsumerService>();
        return builder;
    }
}
