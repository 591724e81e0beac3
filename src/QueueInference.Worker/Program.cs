using QueueInference.Pipeline;
using QueueInference.Pipeline.Commands;
using QueueInference.Worker;
using QueueInference.Worker.Operations;

// `declare-request-queue` and `probe-reply` (helm test) run in the worker image instead of the host.
if (await AppCommands.TryRunAsync(args, Console.Out) is int exitCode)
{
    return exitCode;
}

WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(args);
builder.AddInferencePipeline();
builder.AddQueueConsumer();

WebApplication app = builder.Build();
app.MapOperationalEndpoints();
await app.RunAsync();
return 0;
