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
// A service that stops the host on purpose (the consumer: 69 when refused, 70 when it failed) sets the code.
return Environment.ExitCode;
