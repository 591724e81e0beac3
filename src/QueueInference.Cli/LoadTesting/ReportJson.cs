using System.Text.Json;
using System.Text.Json.Serialization;

namespace QueueInference.Cli.LoadTesting;

/// <summary>The JSON layout of every report: camelCase, indented, NaN (no data) written as "NaN".</summary>
public static class ReportJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
