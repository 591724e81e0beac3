using QueueInference.Pipeline;
using QueueInference.Pipeline.Commands;
using QueueInference.Pipeline.Hosting;
using QueueInference.Pipeline.Observability;
using QueueInference.Worker;
using QueueInference.Worker.Operations;

// `declare-request-queue` and `probe-reply` (helm test) run in the worker image instead of the host.
if (await AppCommands.TryRunAsync(args, Console.Out) is int exitCode)
{
    return exitCode;
}

// HostRunner: invalid settings exit 78 with one line each; a service that stops the host on purpose
// (the consumer: 69 when refused, 70 when it failed) keeps the code it set.
return await HostRunner.RunAsync(
    () => WebApplication.CreateSlimBuilder(args),
    builder =>
    {
        builder.AddInferencePipeline();
        builder.AddOpenTelemetryExport();
        builder.AddQueueConsumer();
        WebApplication app = builder.Build();
        app.MapOperationalEndpoints();
        return app;
    });
