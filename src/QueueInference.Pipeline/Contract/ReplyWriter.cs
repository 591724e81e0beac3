using System.Buffers;
using System.Text.Json;

namespace QueueInference.Pipeline.Contract;

/// <summary>
/// Writes the seed's reply body:
/// <c>{"message_id", "pick_up_timestamp", "response_timestamp", "result": {"original_input", "processed_data", "model_output"}}</c>.
/// Floats are written in Python's repr form, so the bytes a seed client parses are the values the
/// Python worker produced.
/// </summary>
public static class ReplyWriter
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    // One writer per thread, reset onto each reply's buffer: a new Utf8JsonWriter per reply was 3 % of all bytes allocated.
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static void Write(
        IBufferWriter<byte> destination,
        InferenceRequest request,
        double pickUpTimestamp,
        double responseTimestamp,
        double processedValue,
        ReadOnlySpan<float> modelOutput,
        ReadOnlySpan<int> modelOutputShape)
    {
        Utf8JsonWriter writer = t_writer ??= new Utf8JsonWriter(destination, WriterOptions);
        writer.Reset(destination);
        Span<byte> number = stackalloc byte[PythonFloat.MaxLength];

        writer.WriteStartObject();
        writer.WritePropertyName("message_id"u8);
        writer.WriteRawValue(request.MessageIdJson, skipInputValidation: true);
        writer.WritePropertyName("pick_up_timestamp"u8);
        writer.WriteRawValue(number[..PythonFloat.Format(pickUpTimestamp, number)], skipInputValidation: true);
        writer.WritePropertyName("response_timestamp"u8);
        writer.WriteRawValue(number[..PythonFloat.Format(responseTimestamp, number)], skipInputValidation: true);

        writer.WriteStartObject("result"u8);
        writer.WritePropertyName("original_input"u8);
        writer.WriteRawValue(request.DataJson, skipInputValidation: true);
        writer.WriteString("processed_data"u8, number[..PythonFloat.Format(processedValue, number)]);
        writer.WritePropertyName("model_output"u8);
        WriteNested(writer, modelOutput, modelOutputShape, number);
        writer.WriteEndObject();

        writer.WriteEndObject();
        writer.Flush();

        // Drops the reference to the caller's buffer, which goes back to its pool.
        writer.Reset(Stream.Null);
    }

    /// <summary>Writes a row-major tensor as nested lists, as <c>ndarray.tolist()</c> does.</summary>
    private static void WriteNested(Utf8JsonWriter writer, ReadOnlySpan<float> values, ReadOnlySpan<int> shape, Span<byte> number)
    {
        if (shape.IsEmpty)
        {
            WriteFloat(writer, values[0], number);
            return;
        }

        int stride = values.Length / Math.Max(shape[0], 1);
        writer.WriteStartArray();
        for (int i = 0; i < shape[0]; i++)
        {
            if (shape.Length == 1)
            {
                WriteFloat(writer, values[i], number);
            }
            else
            {
                WriteNested(writer, values.Slice(i * stride, stride), shape[1..], number);
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteFloat(Utf8JsonWriter writer, float value, Span<byte> number)
    {
        double widened = value;
        if (double.IsFinite(widened))
        {
            writer.WriteRawValue(number[..PythonFloat.Format(widened, number)], skipInputValidation: true);
        }
        else
        {
            // json.dumps writes these non-standard tokens; Python clients read them back.
            writer.WriteRawValue(double.IsNaN(widened) ? "NaN"u8 : widened > 0 ? "Infinity"u8 : "-Infinity"u8, skipInputValidation: true);
        }
    }
}
