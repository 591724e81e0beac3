using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using QueueInference.Pipeline.Inference;
using QueueInference.Pipeline.Observability;
using QueueInference.Pipeline.Processing;
using QueueInference.Pipeline.Stages;

namespace QueueInference.Pipeline.Tests.Support;

/// <summary>The compute lane as the pipeline builds it (engine, composer, scheduler, metrics), with a real model.</summary>
internal sealed class ComputeLane : IDisposable
{
    private readonly ServiceProvider _services;

    public ComputeLane(string modelPath, ITransformation transformation, int computeThreads = 1, int maxBatchSize = 64, TimeSpan maxBatchDelay = default, string? replyOutputs = null, TimeProvider? time = null)
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = _services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        BatchSizes = new BatchSizeRecorder(meters);
        var inferenceOptions = new InferenceOptions { ModelPath = modelPath, MaxBatchSize = maxBatchSize, MaxBatchDelay = maxBatchDelay, ReplyOutputs = replyOutputs };
        Engine = new OnnxInferenceEngine(Options.Create(inferenceOptions), NullLogger<OnnxInferenceEngine>.Instance);
        Composer = new BatchComposer(transformation, Engine, new PipelineMetrics(meters), NullLogger<BatchComposer>.Instance, time ?? TimeProvider.System);
        Scheduler = new ComputeScheduler(Options.Create(new PipelineOptions { ComputeThreads = computeThreads }), Options.Create(inferenceOptions), Composer, new ComputeLaneLoad(TimeProvider.System), TimeProvider.System);
    }

    public OnnxInferenceEngine Engine { get; }

    public BatchComposer Composer { get; }

    public ComputeScheduler Scheduler { get; }

    /// <summary>The size of every inference run, in the order they ended.</summary>
    public BatchSizeRecorder BatchSizes { get; }

    public void Dispose()
    {
        Scheduler.Dispose();
        Engine.Dispose();
        BatchSizes.Dispose();
        _services.Dispose();
    }
}
