namespace QueueInference.Pipeline.Messaging;

/// <summary>Keeps credentials out of logs and error messages.</summary>
public static class ConnectionStrings
{
    /// <summary><c>amqp://user:secret@host:5672/vhost</c> becomes <c>amqp://user:***@host:5672/vhost</c>.</summary>
    public static string Redact(string? connectionString)
    {
        if (string.IsNullOrEmpty(connectionString))
        {
            return "(empty)";
        }

        if (!Uri.TryCreate(connectionString, UriKind.Absolute, out Uri? uri))
        {
            return "(not a URI)";
        }

        string user = uri.UserInfo.Split(':', 2)[0];
        string credentials = uri.UserInfo.Length == 0 ? string.Empty : $"{Uri.UnescapeDataString(user)}:***@";
        return $"{uri.Scheme}://{credentials}{uri.Authority}{uri.AbsolutePath}";
    }
}
