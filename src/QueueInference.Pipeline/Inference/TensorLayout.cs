namespace QueueInference.Pipeline.Inference;

/// <summary>Row-major copies between tensors of the same rank and different extents (padding and trimming).</summary>
internal static class TensorLayout
{
    /// <summary>
    /// Copies the block both shapes share (the smaller extent in every dimension) from
    /// <paramref name="source"/> to <paramref name="destination"/>; the rest of the destination is left as it is.
    /// </summary>
    public static void CopyBlock(ReadOnlySpan<byte> source, ReadOnlySpan<int> sourceShape, Span<byte> destination, ReadOnlySpan<int> destinationShape, int elementSize)
    {
        if (sourceShape.SequenceEqual(destinationShape))
        {
            source.CopyTo(destination);
            return;
        }

        if (sourceShape.Length == 0)
        {
            source[..elementSize].CopyTo(destination);
            return;
        }

        int extent = Math.Min(sourceShape[0], destinationShape[0]);
        if (sourceShape.Length == 1)
        {
            source[..(extent * elementSize)].CopyTo(destination);
            return;
        }

        int sourceStride = Length(sourceShape[1..]) * elementSize;
        int destinationStride = Length(destinationShape[1..]) * elementSize;
        for (int i = 0; i < extent; i++)
        {
            CopyBlock(
                source.Slice(i * sourceStride, sourceStride),
                sourceShape[1..],
                destination.Slice(i * destinationStride, destinationStride),
                destinationShape[1..],
                elementSize);
        }
    }

    public static int Length(ReadOnlySpan<int> shape)
    {
        int length = 1;
        foreach (int dimension in shape)
        {
            length = checked(length * dimension);
        }

        return length;
    }
}
