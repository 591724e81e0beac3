using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime.Tensors;
using QueueInference.Pipeline.Inference;

namespace QueueInference.Pipeline.Contract;

/// <summary>
/// Writes the seed's reply body:
/// <c>{"message_id", "pick_up_timestamp", "response_timestamp", "result": {"original_input", "processed_data", "model_output"}}</c>.
/// Floats are written in Python's repr form, so the bytes a seed client parses are the values the
/// Python worker produced.
/// </summary>
/// <remarks>
/// <c>model_output</c> is one output as nested lists (<c>ndarray.tolist()</c>; float32 widened to
/// double, integers as integers, bools as true/false), or with several reply outputs an object of them
/// keyed by name, in reply order.
/// </remarks>
public static class ReplyWriter
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    // One writer per thread, reset onto each reply's buffer: a new Utf8JsonWriter per reply was 3 % of all bytes allocated.
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>A reply whose <c>model_output</c> is the item's <paramref name="outputs"/>.</summary>
    public static void Write(
        IBufferWriter<byte> destination,
        InferenceRequest request,
        double pickUpTimestamp,
        double responseTimestamp,
        double processedValue,
        ModelOutputs outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        Span<byte> number = stackalloc byte[PythonFloat.MaxLength];
        Utf8JsonWriter writer = Begin(destination, request, pickUpTimestamp, responseTimestamp, processedValue, number);
        if (outputs.Count == 1)
        {
            WriteOutput(writer, outputs, 0, number);
        }
        else
        {
            writer.WriteStartObject();
            for (int i = 0; i < outputs.Count; i++)
            {
                writer.WritePropertyName(outputs.Signature.Outputs[i].Name);
                WriteOutput(writer, outputs, i, number);
            }

            writer.WriteEndObject();
        }

        End(writer);
    }

    /// <summary>A reply whose <c>model_output</c> is one float32 tensor of shape <paramref name="modelOutputShape"/>.</summary>
    public static void Write(
        IBufferWriter<byte> destination,
        InferenceRequest request,
        double pickUpTimestamp,
        double responseTimestamp,
        double processedValue,
        ReadOnlySpan<float> modelOutput,
        ReadOnlySpan<int> modelOutputShape)
    {
        Span<byte> number = stackalloc byte[PythonFloat.MaxLength];
        Utf8JsonWriter writer = Begin(destination, request, pickUpTimestamp, responseTimestamp, processedValue, number);
        WriteNested(writer, modelOutput, modelOutputShape, number);
        End(writer);
    }

    private static Utf8JsonWriter Begin(IBufferWriter<byte> destination, InferenceRequest request, double pickUpTimestamp, double responseTimestamp, double processedValue, Span<byte> number)
    {
        Utf8JsonWriter writer = t_writer ??= new Utf8JsonWriter(destination, WriterOptions);
        writer.Reset(destination);

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
        return writer;
    }

    private static void End(Utf8JsonWriter writer)
    {
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.Flush();

        // Drops the reference to the caller's buffer, which goes back to its pool.
        writer.Reset(Stream.Null);
    }

    private static void WriteOutput(Utf8JsonWriter writer, ModelOutputs outputs, int output, Span<byte> number)
    {
        ReadOnlySpan<int> shape = outputs.Shape(output);
        switch (outputs.Signature.Outputs[output].ElementType)
        {
            case TensorElementType.Float: WriteNested(writer, outputs.Get<float>(output), shape, number); break;
            case TensorElementType.Double: WriteNested(writer, outputs.Get<double>(output), shape, number); break;
            case TensorElementType.Int64: WriteNested(writer, outputs.Get<long>(output), shape, number); break;
            case TensorElementType.Int32: WriteNested(writer, outputs.Get<int>(output), shape, number); break;
            case TensorElementType.Bool: WriteNested(writer, outputs.Get<bool>(output), shape, number); break;
            default: throw new NotSupportedException($"Output element type {outputs.Signature.Outputs[output].ElementType} is not supported.");
        }
    }

    /// <summary>Writes a row-major tensor as nested lists, as <c>ndarray.tolist()</c> does.</summary>
    private static void WriteNested<T>(Utf8JsonWriter writer, ReadOnlySpan<T> values, ReadOnlySpan<int> shape, Span<byte> number)
        where T : unmanaged
    {
        if (shape.IsEmpty)
        {
            WriteValue(writer, values[0], number);
            return;
        }

        int stride = shape[0] == 0 ? 0 : values.Length / shape[0];
        writer.WriteStartArray();
        for (int i = 0; i < shape[0]; i++)
        {
            if (shape.Length == 1)
            {
                WriteValue(writer, values[i], number);
            }
            else
            {
                WriteNested(writer, values.Slice(i * stride, stride), shape[1..], number);
            }
        }

        writer.WriteEndArray();
    }

    // The type tests are constants for each T, so the JIT keeps one branch per instantiation; Unsafe.As
    // reinterprets without the box a cast through object would cost before the method is optimized.
    private static void WriteValue<T>(Utf8JsonWriter writer, T value, Span<byte> number)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            WriteDouble(writer, Unsafe.As<T, float>(ref value), number);
        }
        else if (typeof(T) == typeof(double))
        {
            WriteDouble(writer, Unsafe.As<T, double>(ref value), number);
        }
        else if (typeof(T) == typeof(long))
        {
            writer.WriteNumberValue(Unsafe.As<T, long>(ref value));
        }
        else if (typeof(T) == typeof(int))
        {
            writer.WriteNumberValue(Unsafe.As<T, int>(ref value));
        }
        else if (typeof(T) == typeof(bool))
        {
            writer.WriteBooleanValue(Unsafe.As<T, bool>(ref value));
        }
        else
        {
            throw new NotSupportedException($"No JSON form for {typeof(T)}.");
        }
    }

    private static void WriteDouble(Utf8JsonWriter writer, double value, Span<byte> number)
    {
        if (double.IsFinite(value))
        {
            writer.WriteRawValue(number[..PythonFloat.Format(value, number)], skipInputValidation: true);
        }
        else
        {
            // json.dumps writes these non-standard tokens; Python clients read them back.
            writer.WriteRawValue(double.IsNaN(value) ? "NaN"u8 : value > 0 ? "Infinity"u8 : "-Infinity"u8, skipInputValidation: true);
        }
    }
}
