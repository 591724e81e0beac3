using QueueInference.Pipeline;
using QueueInference.Worker;
using QueueInference.Worker.Operations;

WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(args);
builder.AddInferencePipeline();
builder.AddQueueConsumer();

WebApplication app = builder.Build();
app.MapOperationalEndpoints();
await app.RunAsync();
