using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using QueueInference.Pipeline;
using QueueInference.Pipeline.Commands;

// The chart's init container runs `declare-request-queue` and helm test runs `probe-reply` with this
// assembly in the Functions image, before and beside the Functions host (docs/functions.md).
if (await AppCommands.TryRunAsync(args, Console.Out) is int exitCode)
{
    return exitCode;
}

// FunctionsApplicationBuilder is an IHostApplicationBuilder, so the worker host's registration applies unchanged.
FunctionsApplicationBuilder builder = FunctionsApplication.CreateBuilder(args);
builder.AddInferencePipeline();
builder.AddPrometheusMetricServer();
builder.Build().Run();
return 0;
