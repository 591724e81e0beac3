using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace QueueInference.Cli.Planning.Output;

/// <summary>
/// Writes doubles with at most three decimals: the fluid model's 5999999.999999832 acked messages is 6000000
/// to any reader, and diffs between two plans stay readable.
/// </summary>
public sealed class RoundedDoubleConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
            ? double.Parse(reader.GetString()!, CultureInfo.InvariantCulture)
            : reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(Math.Round(value, 3));
        }
        else
        {
            writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
        }
    }
}
