using QueueInference.Pipeline.Messaging;

namespace QueueInference.Pipeline.Configuration;

/// <summary>How a setting and its value appear in an error line: the key, its environment variable, the value with secrets redacted.</summary>
public static class SettingValues
{
    private static readonly string[] SecretWords = ["password", "secret", "token", "apikey"];

    /// <summary><c>IoStep:Delay = '3' (env IoStep__Delay)</c>; a value that is not set shows as <c>(not set)</c>.</summary>
    public static string Describe(string key, string? value) =>
        $"{key} = {Display(key, value)} (env {key.Replace(":", "__", StringComparison.Ordinal)})";

    /// <summary>The value in quotes, redacted when the key names a secret or the value is a URI with credentials.</summary>
    public static string Display(string key, string? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (value is null)
        {
            return "(not set)";
        }

        string name = key[(key.LastIndexOf(':') + 1)..].ToLowerInvariant();
        if (SecretWords.Any(word => name.Contains(word, StringComparison.Ordinal)))
        {
            return "'***'";
        }

        if (name.EndsWith("connectionstring", StringComparison.Ordinal))
        {
            // The broker's (amqp:// or amqps://, maybe a host list); anything else it shows as not such a URI.
            return $"'{ConnectionStrings.Redact(value)}'";
        }

        if (Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) && uri.UserInfo.Length > 0)
        {
            string user = Uri.UnescapeDataString(uri.UserInfo.Split(':', 2)[0]);
            return $"'{uri.Scheme}://{user}:***@{uri.Authority}{uri.PathAndQuery}'";
        }

        return $"'{value}'";
    }
}
