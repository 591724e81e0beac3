using QueueInference.Pipeline.Contract;
using QueueInference.Pipeline.Inference;
using QueueInference.Pipeline.Stages;

namespace QueueInference.Pipeline.Tests.Support;

/// <summary>
/// Holds the compute thread inside the first transformation until <see cref="Release"/>, so that the
/// requests a test queues meanwhile are all waiting when the thread next gathers a batch.
/// </summary>
internal sealed class GatedTransformation(ITransformation inner) : ITransformation, IDisposable
{
    private readonly ManualResetEventSlim _entered = new();
    private readonly ManualResetEventSlim _released = new();
    private int _calls;

    /// <summary>Threads each transformation ran on, in call order.</summary>
    public List<string?> Threads { get; } = [];

    public void Validate(ModelSignature model) => inner.Validate(model);

    public double Transform(InferenceRequest request, ModelInputs inputs)
    {
        lock (Threads)
        {
            Threads.Add(Thread.CurrentThread.Name);
        }

        if (Interlocked.Increment(ref _calls) == 1)
        {
            _entered.Set();
            _released.Wait(TimeSpan.FromSeconds(30));
        }

        return inner.Transform(request, inputs);
    }

    /// <summary>Waits until the first transformation holds the compute thread.</summary>
    public void WaitUntilHeld() => Assert.True(_entered.Wait(TimeSpan.FromSeconds(30)), "the compute thread never started the first request");

    public void Release() => _released.Set();

    public void Dispose()
    {
        _released.Set();
        _entered.Dispose();
        _released.Dispose();
    }
}
