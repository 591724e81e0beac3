using Microsoft.ML.OnnxRuntime.Tensors;

namespace QueueInference.Pipeline.Inference;

/// <summary>One input or output of the model, as its metadata declares it.</summary>
public sealed class ModelTensor
{
    private readonly int[] _itemDimensions;
    private readonly int[] _itemSymbols;

    internal ModelTensor(string name, TensorElementType elementType, long[] dimensions, string[] dimensionNames, bool batched, int[] itemSymbols)
    {
        Name = name;
        ElementType = elementType;
        ElementClrType = ElementTypes.ClrType(elementType);
        ElementSize = ElementTypes.Size(elementType);
        Dimensions = dimensions;
        DimensionNames = dimensionNames;
        IsBatched = batched;
        _itemDimensions = [.. dimensions.Skip(batched ? 1 : 0).Select(d => d < 0 ? -1 : checked((int)d))];
        _itemSymbols = itemSymbols;
        IsFixed = _itemDimensions.All(d => d >= 0);
        ItemLength = IsFixed ? checked(_itemDimensions.Aggregate(1, (a, b) => a * b)) : -1;
    }

    public string Name { get; }

    public TensorElementType ElementType { get; }

    /// <summary>The .NET type a transformation reads or writes it as: float, double, long, int or bool.</summary>
    public Type ElementClrType { get; }

    /// <summary>The dimensions the model declares, the batch dimension included; -1 where symbolic.</summary>
    public IReadOnlyList<long> Dimensions { get; }

    /// <summary>The name of each symbolic dimension (empty for fixed ones).</summary>
    public IReadOnlyList<string> DimensionNames { get; }

    /// <summary>Whether the first dimension is the batch dimension (the model batches).</summary>
    public bool IsBatched { get; }

    /// <summary>Whether every dimension of one item is fixed, so every item has <see cref="ItemLength"/> elements.</summary>
    public bool IsFixed { get; }

    /// <summary>Elements in one item when <see cref="IsFixed"/>; -1 otherwise.</summary>
    public int ItemLength { get; }

    internal int ElementSize { get; }

    /// <summary>One item's dimensions (the batch dimension left out); -1 where symbolic.</summary>
    internal ReadOnlySpan<int> ItemDimensions => _itemDimensions;

    /// <summary>
    /// For each item dimension, the index of its symbolic dimension in <see cref="ModelSignature.SymbolicDimensions"/>;
    /// -1 when it is fixed, or (outputs) when the model alone decides its size.
    /// </summary>
    internal ReadOnlySpan<int> ItemSymbols => _itemSymbols;

    public override string ToString() =>
        $"{Name} {ElementTypes.Describe(ElementType)} [{string.Join(" x ", Dimensions.Select((d, i) => d >= 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : DimensionNames[i]))}]";
}
