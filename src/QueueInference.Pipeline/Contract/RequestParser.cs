using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using csFastFloat;
using Microsoft.Extensions.Options;

namespace QueueInference.Pipeline.Contract;

/// <summary>
/// Parses and validates the seed's request body
/// (<c>{"message_id": str, "data": [float...], "send_timestamp": float}</c>); unknown fields are
/// accepted and ignored, and a repeated field keeps its last value, as Python's <c>json.loads</c> does.
/// </summary>
public sealed class RequestParser(IOptions<ContractOptions> options)
{
    [ThreadStatic]
    private static double[]? t_scratch;

    private readonly ContractOptions _options = options.Value;

    public bool TryParse(ReadOnlyMemory<byte> body, out InferenceRequest? request, out RejectionReason reason)
    {
        request = null;
        if (body.Length > _options.MaxBodyBytes)
        {
            reason = RejectionReason.BodyTooLarge;
            return false;
        }

        // The reader checks structure, not the UTF-8 of string contents it is never asked to decode.
        if (!Utf8.IsValid(body.Span))
        {
            reason = RejectionReason.InvalidUtf8;
            return false;
        }

        try
        {
            reason = Parse(body, out request);
            return reason == RejectionReason.None;
        }
        catch (JsonException)
        {
            reason = RejectionReason.MalformedJson;
            return false;
        }
    }

    private RejectionReason Parse(ReadOnlyMemory<byte> body, out InferenceRequest? request)
    {
        request = null;
        double[]? data = null;
        var reader = new Utf8JsonReader(body.Span, new JsonReaderOptions { MaxDepth = 64 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return RejectionReason.NotAnObject;
        }

        Range? messageId = null;
        Range? dataJson = null;
        int dataLength = 0;
        double? sendTimestamp = null;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("message_id"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String || reader.ValueSpan.Length == 0 || reader.ValueSpan.Length > _options.MaxMessageIdBytes)
                {
                    return RejectionReason.InvalidMessageId;
                }

                int start = (int)reader.TokenStartIndex;
                messageId = start..(start + reader.ValueSpan.Length + 2);
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    return RejectionReason.InvalidData;
                }

                int start = (int)reader.TokenStartIndex;
                // Every value takes at least two bytes ("1,"), so this size never grows. The values are read into
                // the thread's scratch array and copied into one of their own size below: that one lives as long as
                // the request (seconds, with an I/O step), and sized from the body it was 1 KB for the seed's 5.
                data = Scratch(Math.Max(8, Math.Min(_options.MaxDataLength, body.Length / 2 + 1)));
                dataLength = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.Number)
                    {
                        return RejectionReason.InvalidData;
                    }

                    if (!TryGetFiniteDouble(ref reader, out double value))
                    {
                        return RejectionReason.NonFiniteValue;
                    }

                    if (dataLength == _options.MaxDataLength)
                    {
                        return RejectionReason.TooManyValues;
                    }

                    if (dataLength == data.Length)
                    {
                        data = Scratch(data.Length * 2);
                    }

                    data[dataLength++] = value;
                }

                dataJson = start..(int)reader.BytesConsumed;
            }
            else if (reader.ValueTextEquals("send_timestamp"u8))
            {
                reader.Read();
                // Only used for latency figures, so a client that sends no number is not refused.
                sendTimestamp = reader.TokenType == JsonTokenType.Number && TryGetFiniteDouble(ref reader, out double sent) ? sent : null;
                reader.Skip();
            }
            else
            {
                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            return RejectionReason.MalformedJson;
        }

        // Anything after the closing brace other than white space is malformed (the reader throws).
        if (reader.Read())
        {
            return RejectionReason.MalformedJson;
        }

        if (messageId is null)
        {
            return RejectionReason.MissingMessageId;
        }

        if (dataJson is null || data is null)
        {
            return RejectionReason.MissingData;
        }

        double[] values = ArrayPool<double>.Shared.Rent(Math.Max(1, dataLength));
        data.AsSpan(0, dataLength).CopyTo(values);
        request = new InferenceRequest(body, messageId.Value, dataJson.Value, values, dataLength, sendTimestamp);
        return RejectionReason.None;
    }

    /// <summary>
    /// The current number token's value, when finite. csFastFloat (Lemire's fast_float) rounds correctly, as
    /// <see cref="Utf8JsonReader.TryGetDouble"/> does, so the values are the same bit for bit, in about two thirds of
    /// the time (NumberParsingBenchmarks); requests are parsed on the threads that carry the messaging. The reader has
    /// checked the token's JSON number syntax, and a number token is never escaped nor split (one span).
    /// </summary>
    private static bool TryGetFiniteDouble(ref Utf8JsonReader reader, out double value)
    {
        ReadOnlySpan<byte> token = reader.ValueSpan;
        return FastDoubleParser.TryParseDouble(token, out int consumed, out value) && consumed == token.Length && double.IsFinite(value);
    }

    /// <summary>The thread's scratch array for the values being read, of at least <paramref name="length"/>, keeping what it holds.</summary>
    private static double[] Scratch(int length)
    {
        double[]? scratch = t_scratch;
        if (scratch is null || scratch.Length < length)
        {
            double[] larger = new double[Math.Max(length, 64)];
            scratch?.AsSpan().CopyTo(larger);
            t_scratch = scratch = larger;
        }

        return scratch;
    }
}
