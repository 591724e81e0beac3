using Microsoft.Azure.Functions.Worker.Builder;
using QueueInference.Pipeline;
using QueueInference.Pipeline.Commands;
using QueueInference.Pipeline.Hosting;

// The chart's init container runs `declare-request-queue` and helm test runs `probe-reply` with this
// assembly in the Functions image, before and beside the Functions host (docs/functions.md).
if (await AppCommands.TryRunAsync(args, Console.Out) is int exitCode)
{
    return exitCode;
}

// FunctionsApplicationBuilder is an IHostApplicationBuilder, so the worker host's registration applies unchanged;
// HostRunner ends an invalid configuration with one line per problem and exit code 78, as in the worker.
return await HostRunner.RunAsync(
    () => FunctionsApplication.CreateBuilder(args),
    builder =>
    {
        builder.AddInferencePipeline();
        builder.AddPrometheusMetricServer();
        return builder.Build();
    });
