using QueueInference.Pipeline.Contract;

namespace QueueInference.Pipeline.Stages;

/// <summary>
/// The unavoidable asynchronous I/O a request needs before it can be transformed (a database,
/// a feature store, an HTTP call). Replace the default simulation by registering your own
/// implementation after <c>AddInferencePipeline</c>. Implementations must not block a thread:
/// thousands of requests wait here at once.
/// </summary>
public interface IIoStep
{
    ValueTask ExecuteAsync(InferenceRequest request, CancellationToken cancellationToken);
}
