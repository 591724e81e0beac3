using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using QueueInference.Pipeline;

// FunctionsApplicationBuilder is an IHostApplicationBuilder, so the worker host's registration applies unchanged.
FunctionsApplicationBuilder builder = FunctionsApplication.CreateBuilder(args);
builder.AddInferencePipeline();
builder.AddPrometheusMetricServer();
builder.Build().Run();
