using System.Runtime.InteropServices;

namespace QueueInference.Pipeline.Inference;

/// <summary>
/// A growable byte buffer on the pinned object heap, 64-byte aligned, that OrtValues can wrap without
/// copying: the GC never moves it, so its address stays valid for as long as the buffer lives.
/// </summary>
internal sealed class PinnedBuffer
{
    private const int Alignment = 64;
    private byte[] _array = [];
    private int _offset;

    public int Capacity { get; private set; } = -1;

    public IntPtr Address => Marshal.UnsafeAddrOfPinnedArrayElement(_array, _offset);

    /// <summary>Makes room for <paramref name="bytes"/>; a new array when it grows, so earlier addresses go stale.</summary>
    public void EnsureCapacity(int bytes)
    {
        if (bytes <= Capacity)
        {
            return;
        }

        int capacity = Math.Max(bytes, Capacity * 2);
        _array = GC.AllocateUninitializedArray<byte>(capacity + Alignment, pinned: true);
        long start = Marshal.UnsafeAddrOfPinnedArrayElement(_array, 0);
        _offset = (int)((Alignment - (start % Alignment)) % Alignment);
        Capacity = capacity;
    }

    public Span<byte> Span(int bytes) => _array.AsSpan(_offset, bytes);
}
