using Microsoft.ML.OnnxRuntime;

namespace QueueInference.Pipeline.Inference;

/// <summary>
/// The buffers of one run, reused through a pool: pinned input and output buffers for a full batch and
/// a RunOptions. For a model whose items all have one fixed shape, the OrtValues over those buffers
/// and the IoBinding that binds them are made once per batch size and kept, so steady-state inference
/// allocates nothing (Run with name lists marshals the names on every call).
/// </summary>
internal sealed class InferenceSlot : IDisposable
{
    private readonly InferenceSession _session;
    private readonly ModelSignature _signature;
    private readonly PinnedBuffer[] _inputs;
    private readonly PinnedBuffer[] _outputs;
    private readonly Binding?[] _bindings;

    public InferenceSlot(InferenceSession session, ModelSignature signature, int maxBatchSize)
    {
        _session = session;
        _signature = signature;
        _inputs = [.. signature.Inputs.Select(input => Allocate(input, maxBatchSize))];
        _outputs = [.. signature.Outputs.Select(output => Allocate(output, maxBatchSize))];
        _bindings = new Binding?[signature.IsStatic ? maxBatchSize : 0];
    }

    public RunOptions RunOptions { get; } = new();

    public PinnedBuffer Input(int input) => _inputs[input];

    public PinnedBuffer Output(int output) => _outputs[output];

    /// <summary>For a model with fixed item shapes: the binding of the first <paramref name="count"/> items of the buffers.</summary>
    public OrtIoBinding Bound(int count) => (_bindings[count - 1] ??= new Binding(_session, _signature, _inputs, _outputs, count)).IoBinding;

    public void Dispose()
    {
        foreach (Binding? binding in _bindings)
        {
            binding?.Dispose();
        }

        RunOptions.Dispose();
    }

    /// <summary>A full batch of a fixed-shape tensor; for the others, the first run sizes it.</summary>
    private static PinnedBuffer Allocate(ModelTensor tensor, int maxBatchSize)
    {
        var buffer = new PinnedBuffer();
        buffer.EnsureCapacity(tensor.IsFixed ? checked(maxBatchSize * tensor.ItemLength * tensor.ElementSize) : 0);
        return buffer;
    }

    /// <summary>Shape of <paramref name="count"/> items of a fixed-shape tensor.</summary>
    internal static long[] BatchShape(ModelTensor tensor, int count)
    {
        ReadOnlySpan<int> item = tensor.ItemDimensions;
        int lead = tensor.IsBatched ? 1 : 0;
        long[] shape = new long[item.Length + lead];
        if (tensor.IsBatched)
        {
            shape[0] = count;
        }

        for (int d = 0; d < item.Length; d++)
        {
            shape[lead + d] = item[d];
        }

        return shape;
    }

    private sealed class Binding : IDisposable
    {
        private readonly List<OrtValue> _values = [];

        public Binding(InferenceSession session, ModelSignature signature, PinnedBuffer[] inputs, PinnedBuffer[] outputs, int count)
        {
            IoBinding = session.CreateIoBinding();
            for (int i = 0; i < inputs.Length; i++)
            {
                IoBinding.BindInput(signature.Inputs[i].Name, Wrap(signature.Inputs[i], inputs[i], count));
            }

            for (int i = 0; i < outputs.Length; i++)
            {
                IoBinding.BindOutput(signature.Outputs[i].Name, Wrap(signature.Outputs[i], outputs[i], count));
            }
        }

        public OrtIoBinding IoBinding { get; }

        public void Dispose()
        {
            IoBinding.Dispose();
            foreach (OrtValue value in _values)
            {
                value.Dispose();
            }
        }

        private OrtValue Wrap(ModelTensor tensor, PinnedBuffer buffer, int count)
        {
            OrtValue value = OrtValue.CreateTensorValueWithData(
                OrtMemoryInfo.DefaultInstance, tensor.ElementType, BatchShape(tensor, count), buffer.Address, (long)count * tensor.ItemLength * tensor.ElementSize);
            _values.Add(value);
            return value;
        }
    }
}
