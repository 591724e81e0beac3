using System.Buffers;
using System.Text.Json;

namespace QueueInference.Pipeline.Contract;

/// <summary>
/// A validated request. <c>message_id</c> and <c>data</c> are kept as the exact JSON the client
/// sent, so the reply echoes them byte for byte (as the seed's <c>json.dumps</c> round trip did)
/// without re-encoding; the values of <c>data</c> live in a pooled array until <see cref="Dispose"/>.
/// </summary>
public sealed class InferenceRequest : IDisposable
{
    private readonly ReadOnlyMemory<byte> _body;
    private readonly Range _messageIdJson;
    private readonly Range _dataJson;
    private double[]? _data;

    internal InferenceRequest(ReadOnlyMemory<byte> body, Range messageIdJson, Range dataJson, double[] data, int dataLength, double? sendTimestamp)
    {
        _body = body;
        _messageIdJson = messageIdJson;
        _dataJson = dataJson;
        _data = data;
        DataLength = dataLength;
        SendTimestamp = sendTimestamp;
    }

    /// <summary>The <c>message_id</c> JSON string token as sent, quotes included.</summary>
    public ReadOnlySpan<byte> MessageIdJson => _body.Span[_messageIdJson];

    /// <summary>The <c>data</c> JSON array as sent.</summary>
    public ReadOnlySpan<byte> DataJson => _body.Span[_dataJson];

    /// <summary>The values of <c>data</c>, all finite.</summary>
    public ReadOnlySpan<double> Data => (_data ?? throw new ObjectDisposedException(nameof(InferenceRequest))).AsSpan(0, DataLength);

    public int DataLength { get; }

    /// <summary><c>send_timestamp</c> in Unix seconds, when the client sent one.</summary>
    public double? SendTimestamp { get; }

    /// <summary>The decoded <c>message_id</c>; allocates, so for logs and tools rather than the hot path.</summary>
    public string MessageId
    {
        get
        {
            var reader = new Utf8JsonReader(MessageIdJson);
            reader.Read();
            return reader.GetString() ?? string.Empty;
        }
    }

    public override string ToString() => $"request {MessageId} ({DataLength} values)";

    public void Dispose()
    {
        double[]? data = Interlocked.Exchange(ref _data, null);
        if (data is not null)
        {
            ArrayPool<double>.Shared.Return(data);
        }
    }
}
