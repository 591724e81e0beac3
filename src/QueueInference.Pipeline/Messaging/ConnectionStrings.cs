namespace QueueInference.Pipeline.Messaging;

/// <summary>Keeps credentials out of logs and error messages.</summary>
public static class ConnectionStrings
{
    /// <summary>
    /// <c>amqp://user:secret@host:5672/vhost</c> becomes <c>amqp://user:***@host:5672/vhost</c>; a host list
    /// (<c>amqp://user:secret@a:5672,b:5672/</c>) keeps every host.
    /// </summary>
    public static string Redact(string? connectionString)
    {
        if (string.IsNullOrEmpty(connectionString))
        {
            return "(empty)";
        }

        if (!BrokerAddress.TryParse(connectionString, out BrokerAddress? address))
        {
            return "(not an amqp:// or amqps:// URI)";
        }

        Uri uri = address.FirstHost;
        string user = uri.UserInfo.Split(':', 2)[0];
        string credentials = uri.UserInfo.Length == 0 ? string.Empty : $"{Uri.UnescapeDataString(user)}:***@";
        return $"{uri.Scheme}://{credentials}{address}{uri.AbsolutePath}";
    }
}
