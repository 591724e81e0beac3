using System.Diagnostics;
using Microsoft.Extensions.Logging;
using QueueInference.Pipeline.Contract;
using QueueInference.Pipeline.Inference;
using QueueInference.Pipeline.Observability;
using QueueInference.Pipeline.Stages;

namespace QueueInference.Pipeline.Processing;

/// <summary>
/// The CPU part of a batch of requests, with no await in it: the transformation of each request,
/// one inference run over all of them, and each request's reply body. A request that fails (its
/// transformation, its share of a run, its reply) fails alone: when the batched run throws, its
/// requests run again one by one, so only the one that makes the model fail gets the error.
/// </summary>
public sealed partial class BatchComposer(
    ITransformation transformation,
    OnnxInferenceEngine inference,
    PipelineMetrics metrics,
    ILogger<BatchComposer> logger,
    TimeProvider timeProvider)
{
    /// <summary>Most requests a batch takes (1 when the model has no batch dimension).</summary>
    public int MaxBatchSize => inference.MaxBatchSize;

    /// <summary>Buffers for one compute thread's batches, reused for every batch it runs.</summary>
    internal Workspace CreateWorkspace() => new(MaxBatchSize);

    /// <summary>Fills each request's reply, or its <see cref="ComputeRequest.Error"/>; completes none of them.</summary>
    internal void Compose(ReadOnlySpan<ComputeRequest> batch, Workspace workspace)
    {
        long started = Stopwatch.GetTimestamp();
        int ready = 0;
        foreach (ComputeRequest request in batch)
        {
            metrics.Stage(PipelineMetrics.Stages.ComputeWait, request.QueuedAt, started);
            long transformStarted = Stopwatch.GetTimestamp();
            ModelInputs inputs = workspace.Inputs[ready] ??= inference.CreateInputs();
            try
            {
                inputs.Reset();
                request.Processed = transformation.Transform(request.Request, inputs);
                inputs.Complete();
                workspace.Ready[ready++] = request;
            }
            catch (Exception ex)
            {
                request.Error = ex;
            }

            long transformEnded = Stopwatch.GetTimestamp();
            metrics.Stage(PipelineMetrics.Stages.Transformation, transformStarted, transformEnded);
            if (request.Trace is { } trace)
            {
                PipelineTracing.Stage(trace, PipelineMetrics.Stages.ComputeWait, request.QueuedAt, started);
                PipelineTracing.Stage(trace, PipelineMetrics.Stages.Transformation, transformStarted, transformEnded);
            }
        }

        try
        {
            Infer(workspace, ready);
            for (int i = 0; i < ready; i++)
            {
                ComputeRequest request = workspace.Ready[i];
                if (request.Error is not null)
                {
                    continue;
                }

                try
                {
                    ReplyWriter.Write(
                        request.Reply,
                        request.Request,
                        InferencePipeline.UnixSeconds(request.PickedUpAt),
                        InferencePipeline.UnixSeconds(timeProvider.GetUtcNow()),
                        request.Processed,
                        workspace.Outputs[i]!);
                }
                catch (Exception ex)
                {
                    request.Error = ex;
                }
            }
        }
        finally
        {
            workspace.Ready.AsSpan(0, ready).Clear();
        }
    }

    private void Infer(Workspace workspace, int ready)
    {
        for (int i = 0; i < ready; i++)
        {
            workspace.Outputs[i] ??= inference.CreateOutputs();
        }

        if (ready > 1)
        {
            long started = Stopwatch.GetTimestamp();
            try
            {
                inference.Run(workspace.Inputs.AsSpan(0, ready)!, workspace.Outputs.AsSpan(0, ready)!);
                TraceRun(workspace.Ready.AsSpan(0, ready), started, Ran(ready, started));
                return;
            }
            catch (Exception ex)
            {
                LogBatchFailed(logger, ready, ex.GetType().Name, ex.Message);
            }
        }

        for (int i = 0; i < ready; i++)
        {
            long started = Stopwatch.GetTimestamp();
            try
            {
                inference.Run(workspace.Inputs[i]!, workspace.Outputs[i]!);
                TraceRun(workspace.Ready.AsSpan(i, 1), started, Ran(1, started));
            }
            catch (Exception ex)
            {
                workspace.Ready[i].Error = ex;
            }
        }
    }

    /// <summary>Every request of the run spent the whole run in inference. Returns when the run ended.</summary>
    private long Ran(int requests, long started)
    {
        long ended = Stopwatch.GetTimestamp();
        double seconds = Stopwatch.GetElapsedTime(started, ended).TotalSeconds;
        metrics.InferenceBatch(requests);
        for (int i = 0; i < requests; i++)
        {
            metrics.Stage(PipelineMetrics.Stages.Inference, seconds);
        }

        return ended;
    }

    /// <summary>Each traced request of a run gets an inference span of its own, covering the whole run.</summary>
    private static void TraceRun(ReadOnlySpan<ComputeRequest> run, long started, long ended)
    {
        foreach (ComputeRequest request in run)
        {
            if (request.Trace is { } trace)
            {
                PipelineTracing.Stage(trace, PipelineMetrics.Stages.Inference, started, ended, run.Length);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inference on a batch of {Requests} requests failed ({ErrorType}: {Error}); running them one by one")]
    private static partial void LogBatchFailed(ILogger logger, int requests, string errorType, string error);

    /// <summary>
    /// One compute thread's per-item buffers, created as batches first reach each size, so a thread
    /// holds as many as its largest batch so far rather than Inference:MaxBatchSize of them.
    /// </summary>
    internal sealed class Workspace(int maxBatchSize)
    {
        public ModelInputs?[] Inputs { get; } = new ModelInputs?[maxBatchSize];

        public ModelOutputs?[] Outputs { get; } = new ModelOutputs?[maxBatchSize];

        /// <summary>The batch's requests whose transformation succeeded, in the order of their inputs.</summary>
        public ComputeRequest[] Ready { get; } = new ComputeRequest[maxBatchSize];
    }
}
