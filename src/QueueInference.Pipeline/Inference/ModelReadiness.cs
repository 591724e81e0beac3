namespace QueueInference.Pipeline.Inference;

/// <summary>
/// Completes when the model is loaded and warmed up (or faults with the reason it could not be). A host
/// that starts its services together awaits it before consuming, so connecting to the broker and starting
/// the HTTP server overlap the model load instead of following it.
/// </summary>
public sealed class ModelReadiness
{
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Loaded => _loaded.Task;

    internal void SetLoaded() => _loaded.TrySetResult();

    internal void SetFailed(Exception error) => _loaded.TrySetException(error);
}
