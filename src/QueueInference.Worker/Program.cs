using QueueInference.Pipeline;
using QueueInference.Worker;

HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);
builder.AddInferencePipeline();
builder.AddQueueConsumer();

using IHost host = builder.Build();
await host.RunAsync();
