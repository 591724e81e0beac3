using System.Text.Json;
using RabbitMQ.Client;

namespace QueueInference.FunctionApp;

/// <summary>
/// The request's AMQP properties, read back from the invocation's binding data. In the isolated model the host
/// sends the delivery's BasicProperties as JSON written by Newtonsoft.Json with default settings: CLR property
/// names, and header values the client delivered as byte[] (AMQP long strings) as base64 strings.
/// Only what the pipeline reads is mapped: reply_to, correlation_id, the dead-letter copy's properties and headers.
/// </summary>
internal static class TriggerProperties
{
    internal const string BindingDataKey = "BasicProperties";

    public static BasicProperties Read(IReadOnlyDictionary<string, object?> bindingData)
    {
        if (!bindingData.TryGetValue(BindingDataKey, out object? value) || value is not string json)
        {
            // Without them reply_to is unknown: failing (and so retrying) beats dead-lettering a valid request.
            throw new InvalidOperationException(
                $"The invocation's binding data has no '{BindingDataKey}' JSON (found {value?.GetType().Name ?? "nothing"}).");
        }

        using JsonDocument document = JsonDocument.Parse(json);
        var properties = new BasicProperties();
        foreach (JsonProperty property in document.RootElement.EnumerateObject())
        {
            JsonElement item = property.Value;
            switch (property.Name)
            {
                case "ReplyTo": properties.ReplyTo = item.GetString(); break;
                case "CorrelationId": properties.CorrelationId = item.GetString(); break;
                case "MessageId": properties.MessageId = item.GetString(); break;
                case "ContentType": properties.ContentType = item.GetString(); break;
                case "ContentEncoding": properties.ContentEncoding = item.GetString(); break;
                case "Type": properties.Type = item.GetString(); break;
                case "Headers" when item.ValueKind == JsonValueKind.Object: properties.Headers = ReadTable(item); break;
                default: break;
            }
        }

        return properties;
    }

    private static Dictionary<string, object?> ReadTable(JsonElement table)
    {
        var headers = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (JsonProperty header in table.EnumerateObject())
        {
            headers[header.Name] = ReadValue(header.Value);
        }

        return headers;
    }

    private static object? ReadValue(JsonElement value) => value.ValueKind switch
    {
        // Every JSON string here was a byte[] (the client's form of an AMQP long string), so it goes back to bytes.
        JsonValueKind.String => value.TryGetBytesFromBase64(out byte[]? bytes) ? bytes : value.GetString(),
        JsonValueKind.Number when value.TryGetInt32(out int number) => number,
        JsonValueKind.Number when value.TryGetInt64(out long number) => number,
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Object => ReadTable(value),
        JsonValueKind.Array => value.EnumerateArray().Select(ReadValue).ToList(),
        _ => null,
    };
}
