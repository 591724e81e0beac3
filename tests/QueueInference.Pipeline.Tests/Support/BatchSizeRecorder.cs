using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace QueueInference.Pipeline.Tests.Support;

/// <summary>Listens to the inference.batch_size histogram of the meters of one factory (other tests' meters share the name).</summary>
internal sealed class BatchSizeRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<int> _sizes = new();

    public BatchSizeRecorder(IMeterFactory scope)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == scope && instrument.Name == "inference.batch_size")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((_, size, _, _) => _sizes.Enqueue(size));
        _listener.Start();
    }

    public IReadOnlyList<int> All => [.. _sizes];

    public void Dispose() => _listener.Dispose();
}
