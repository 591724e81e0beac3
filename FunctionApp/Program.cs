using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using QueueInference.Pipeline;
using QueueInference.Pipeline.Commands;
using QueueInference.Pipeline.Hosting;
using QueueInference.Pipeline.Observability;

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
        // Run by hand rather than by the Functions host, the worker would end in its gRPC client's stack trace.
        if (string.IsNullOrEmpty(builder.Configuration["Functions:Worker:HostEndpoint"]))
        {
            throw new HostExitException(
                ExitCodes.InvalidConfiguration,
                "cannot start: Functions:Worker:HostEndpoint is not set. This is the Functions app's worker process, which the Functions host starts and connects to: run it with func start or the Functions image (docs/functions.md)");
        }

        builder.AddInferencePipeline();
        // OTLP export when the OTEL_* variables ask for it, with the Functions worker's resource and invocation spans.
        builder.AddOpenTelemetryExport()?.UseFunctionsWorkerDefaults();
        builder.AddPrometheusMetricServer();
        return builder.Build();
    });
