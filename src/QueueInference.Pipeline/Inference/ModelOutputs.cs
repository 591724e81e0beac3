using System.Runtime.InteropServices;

namespace QueueInference.Pipeline.Inference;

/// <summary>
/// One item's reply outputs after a run: for each output of <see cref="ModelSignature.Outputs"/>, its
/// values and its shape as one item (the batch dimension kept, as 1, the way a single-item run returns it).
/// </summary>
public sealed class ModelOutputs
{
    private readonly byte[][] _buffers;
    private readonly int[] _bytes;
    private readonly int[][] _shapes;

    internal ModelOutputs(ModelSignature signature)
    {
        Signature = signature;
        int count = signature.Outputs.Count;
        _buffers = new byte[count][];
        _bytes = new int[count];
        _shapes = new int[count][];
        for (int i = 0; i < count; i++)
        {
            ModelTensor output = signature.Outputs[i];
            int lead = output.IsBatched ? 1 : 0;
            _shapes[i] = new int[output.ItemDimensions.Length + lead];
            if (output.IsBatched)
            {
                _shapes[i][0] = 1;
            }

            if (output.IsFixed)
            {
                output.ItemDimensions.CopyTo(_shapes[i].AsSpan(lead));
                _bytes[i] = output.ItemLength * output.ElementSize;
                _buffers[i] = new byte[_bytes[i]];
            }
            else
            {
                _buffers[i] = [];
            }
        }
    }

    public ModelSignature Signature { get; }

    public int Count => _buffers.Length;

    /// <summary>The values of output <paramref name="output"/>, row-major, as its .NET element type.</summary>
    public ReadOnlySpan<T> Get<T>(int output)
        where T : unmanaged
    {
        ModelTensor tensor = Signature.Outputs[output];
        return typeof(T) == tensor.ElementClrType
            ? MemoryMarshal.Cast<byte, T>(Bytes(output))
            : throw new InvalidOperationException($"Output '{tensor.Name}' is {ElementTypes.Describe(tensor.ElementType)}: read it with Get<{ElementTypes.Keyword(tensor.ElementType)}>.");
    }

    /// <summary>The values of output <paramref name="name"/>; see <see cref="Get{T}(int)"/>.</summary>
    public ReadOnlySpan<T> Get<T>(string name)
        where T : unmanaged
    {
        int output = Signature.IndexOfOutput(name);
        return output >= 0
            ? Get<T>(output)
            : throw new ArgumentException($"'{name}' is not a reply output; they are: {string.Join(", ", Signature.Outputs.Select(o => o.Name))}.", nameof(name));
    }

    /// <summary>The shape of output <paramref name="output"/> for this item, as the reply nests it.</summary>
    public ReadOnlySpan<int> Shape(int output) => _shapes[output];

    internal ReadOnlySpan<byte> Bytes(int output) => _buffers[output].AsSpan(0, _bytes[output]);

    /// <summary>The item's buffer for a fixed-shape output, filled in place.</summary>
    internal Span<byte> FixedBuffer(int output) => _buffers[output];

    /// <summary>Sizes the item's buffer for an output whose shape the run decided; <paramref name="itemShape"/> leaves out the batch dimension.</summary>
    internal Span<byte> Resize(int output, ReadOnlySpan<int> itemShape)
    {
        ModelTensor tensor = Signature.Outputs[output];
        int[] shape = _shapes[output];
        int lead = tensor.IsBatched ? 1 : 0;
        itemShape.CopyTo(shape.AsSpan(lead));
        int length = 1;
        foreach (int dimension in itemShape)
        {
            length = checked(length * dimension);
        }

        int bytes = checked(length * tensor.ElementSize);
        if (_buffers[output].Length < bytes)
        {
            _buffers[output] = new byte[Math.Max(bytes, 2 * _buffers[output].Length)];
        }

        _bytes[output] = bytes;
        return _buffers[output].AsSpan(0, bytes);
    }
}
