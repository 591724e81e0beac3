using System.Text.Json;

namespace QueueInference.Cli.LoadTesting;

/// <summary>Reads <c>message_id</c>, <c>pick_up_timestamp</c> and <c>response_timestamp</c> from a reply body.</summary>
public static class ReplyParser
{
    /// <summary>False for anything that is not a well-formed seed reply; such replies count as unknown.</summary>
    public static bool TryParse(ReadOnlySpan<byte> body, out ReplyTimestamps reply)
    {
        reply = default;
        Guid? messageId = null;
        double? pickUp = null;
        double? response = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("message_id"u8))
                {
                    reader.Read();
                    messageId = reader.TokenType == JsonTokenType.String && Guid.TryParse(reader.GetString(), out Guid id) ? id : null;
                }
                else if (reader.ValueTextEquals("pick_up_timestamp"u8))
                {
                    reader.Read();
                    pickUp = reader.TokenType == JsonTokenType.Number ? reader.GetDouble() : null;
                }
                else if (reader.ValueTextEquals("response_timestamp"u8))
                {
                    reader.Read();
                    response = reader.TokenType == JsonTokenType.Number ? reader.GetDouble() : null;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }

        if (messageId is null || pickUp is null || response is null)
        {
            return false;
        }

        reply = new ReplyTimestamps(messageId.Value, pickUp.Value, response.Value);
        return true;
    }
}
