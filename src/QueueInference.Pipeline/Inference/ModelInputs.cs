using System.Runtime.InteropServices;

namespace QueueInference.Pipeline.Inference;

/// <summary>
/// One item's model inputs, for a transformation to fill: a typed buffer per input, sized from the
/// model's metadata, zeroed when first handed out for an item.
/// </summary>
/// <remarks>
/// An input with a symbolic dimension other than the batch one (say [batch, sequence]) needs that
/// dimension's length for this item first: <c>inputs.SetDimension("sequence", tokens)</c>, then
/// <c>inputs.Get&lt;long&gt;("input_ids")</c> has <c>tokens</c> elements. Items of one batch are padded
/// with zeros to the longest. Inputs a transformation leaves alone are zeros.
/// </remarks>
public sealed class ModelInputs
{
    private readonly byte[][] _buffers;
    private readonly int[] _lengths;
    private readonly int[] _dimensions;
    private readonly int[][] _shapes;

    internal ModelInputs(ModelSignature signature)
    {
        Signature = signature;
        int count = signature.Inputs.Count;
        _buffers = new byte[count][];
        _lengths = new int[count];
        _shapes = new int[count][];
        for (int i = 0; i < count; i++)
        {
            ModelTensor input = signature.Inputs[i];
            _buffers[i] = input.IsFixed ? new byte[input.ItemLength * input.ElementSize] : [];
            _shapes[i] = input.ItemDimensions.ToArray();
        }

        _dimensions = new int[signature.SymbolicDimensions.Count];
        Reset();
    }

    public ModelSignature Signature { get; }

    /// <summary>Sets this item's length of symbolic dimension <paramref name="name"/>; before filling an input that has it.</summary>
    public void SetDimension(string name, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        int symbol = -1;
        for (int i = 0; i < Signature.SymbolicDimensions.Count; i++)
        {
            if (string.Equals(Signature.SymbolicDimensions[i], name, StringComparison.Ordinal))
            {
                symbol = i;
                break;
            }
        }

        if (symbol < 0)
        {
            throw new ArgumentException(
                $"The model has no symbolic dimension '{name}' to set; it has: {(Signature.SymbolicDimensions.Count == 0 ? "none" : string.Join(", ", Signature.SymbolicDimensions))}.",
                nameof(name));
        }

        for (int i = 0; i < _lengths.Length; i++)
        {
            if (_lengths[i] >= 0 && Signature.Inputs[i].ItemSymbols.Contains(symbol))
            {
                throw new InvalidOperationException($"Set dimension '{name}' before filling input '{Signature.Inputs[i].Name}', which has it.");
            }
        }

        _dimensions[symbol] = length;
    }

    /// <summary>
    /// The item's buffer for input <paramref name="input"/> (by position), as <typeparamref name="T"/>:
    /// float for float32, double for float64, long for int64, int for int32, bool for bool. Zeroed on
    /// the first call for an item; later calls return the same buffer as filled so far.
    /// </summary>
    public Span<T> Get<T>(int input)
        where T : unmanaged
    {
        ModelTensor tensor = Signature.Inputs[input];
        if (typeof(T) != tensor.ElementClrType)
        {
            throw new InvalidOperationException($"Input '{tensor.Name}' is {ElementTypes.Describe(tensor.ElementType)}: fill it with Get<{ElementTypes.Keyword(tensor.ElementType)}>.");
        }

        return MemoryMarshal.Cast<byte, T>(Fill(input));
    }

    /// <summary>The item's buffer for input <paramref name="name"/>; see <see cref="Get{T}(int)"/>.</summary>
    public Span<T> Get<T>(string name)
        where T : unmanaged
    {
        int input = Signature.IndexOfInput(name);
        return input >= 0
            ? Get<T>(input)
            : throw new ArgumentException($"The model has no input '{name}'; it has: {string.Join(", ", Signature.Inputs.Select(i => i.Name))}.", nameof(name));
    }

    /// <summary>Starts a new item: no dimension set, nothing filled.</summary>
    internal void Reset()
    {
        Array.Fill(_dimensions, -1);
        Array.Fill(_lengths, -1);
    }

    /// <summary>Ends the transformation's part: inputs it did not fill become zeros.</summary>
    internal void Complete()
    {
        for (int i = 0; i < _lengths.Length; i++)
        {
            if (_lengths[i] < 0)
            {
                Fill(i);
            }
        }
    }

    /// <summary>This item's length of symbolic dimension <paramref name="symbol"/> (after <see cref="Complete"/>).</summary>
    internal int Dimension(int symbol) => _dimensions[symbol];

    /// <summary>This item's shape of input <paramref name="input"/>, the batch dimension left out (after <see cref="Complete"/>).</summary>
    internal ReadOnlySpan<int> Shape(int input) => _shapes[input];

    /// <summary>This item's bytes of input <paramref name="input"/> (after <see cref="Complete"/>).</summary>
    internal ReadOnlySpan<byte> Bytes(int input) => _buffers[input].AsSpan(0, _lengths[input] * Signature.Inputs[input].ElementSize);

    private Span<byte> Fill(int input)
    {
        ModelTensor tensor = Signature.Inputs[input];
        if (_lengths[input] >= 0)
        {
            return _buffers[input].AsSpan(0, _lengths[input] * tensor.ElementSize);
        }

        int length = tensor.ItemLength;
        if (!tensor.IsFixed)
        {
            int[] shape = _shapes[input];
            length = 1;
            for (int d = 0; d < shape.Length; d++)
            {
                int symbol = tensor.ItemSymbols[d];
                if (symbol >= 0)
                {
                    shape[d] = _dimensions[symbol] >= 0
                        ? _dimensions[symbol]
                        : throw new InvalidOperationException($"Input '{tensor.Name}' has symbolic dimension '{Signature.SymbolicDimensions[symbol]}': set it with SetDimension first.");
                }

                length = checked(length * shape[d]);
            }
        }

        int bytes = checked(length * tensor.ElementSize);
        if (_buffers[input].Length < bytes)
        {
            _buffers[input] = new byte[Math.Max(bytes, 2 * _buffers[input].Length)];
        }

        Span<byte> buffer = _buffers[input].AsSpan(0, bytes);
        buffer.Clear();
        _lengths[input] = length;
        return buffer;
    }
}
