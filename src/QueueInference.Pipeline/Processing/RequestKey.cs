using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using RabbitMQ.Client;

namespace QueueInference.Pipeline.Processing;

/// <summary>
/// The identity of one message as the broker holds it, the same on every redelivery of it: a 128-bit
/// XxHash of its queue, correlation_id, reply_to, message_id property, retry counters and body. A retry
/// (a new message with a higher <c>x-retry-attempts</c>) is another message. Two requests a client sent
/// byte for byte alike, with the same correlation_id, have one identity: the client cannot tell their
/// replies apart either. 16 bytes; a collision between different requests is a 2^-128 event.
/// </summary>
/// <remarks>
/// Two halves, with no <see cref="UInt128"/> anywhere: a ReadyToRun build (the worker shipped one before it shipped
/// native code) cannot precompile a method that passes or calls with UInt128, whose calling convention may change
/// between runtime versions, and left every hot method that took a key or an <see cref="Attempt"/> to tier-0 JIT.
/// </remarks>
public readonly record struct RequestKey(ulong High, ulong Low)
{
    [ThreadStatic]
    private static XxHash128? t_hash;

    public static RequestKey For(string queue, IReadOnlyBasicProperties properties, ReadOnlySpan<byte> body)
    {
        XxHash128 hash = t_hash ??= new XxHash128();
        hash.Reset();
        Append(hash, queue);
        Append(hash, properties.CorrelationId);
        Append(hash, properties.ReplyTo);
        Append(hash, properties.MessageId);
        Span<byte> counters = stackalloc byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(counters, Messaging.RetryHeaders.Read(properties.Headers, Messaging.RetryHeaders.Attempts) ?? -1);
        BinaryPrimitives.WriteInt32LittleEndian(counters[4..], Messaging.RetryHeaders.Read(properties.Headers, Messaging.RetryHeaders.Redeliveries) ?? -1);
        hash.Append(counters);
        hash.Append(body);
        Span<byte> digest = stackalloc byte[16];
        hash.GetCurrentHash(digest);
        return new RequestKey(BinaryPrimitives.ReadUInt64BigEndian(digest), BinaryPrimitives.ReadUInt64BigEndian(digest[8..]));
    }

    /// <summary>Length first, so ("ab", "c") and ("a", "bc") differ.</summary>
    private static void Append(XxHash128 hash, string? text)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, text?.Length ?? -1);
        hash.Append(length);
        hash.Append(MemoryMarshal.AsBytes((text ?? string.Empty).AsSpan()));
    }
}
