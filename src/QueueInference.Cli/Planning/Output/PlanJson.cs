using System.Text.Json;
using System.Text.Json.Serialization;

namespace QueueInference.Cli.Planning.Output;

/// <summary>One set of JSON options for every file the planner writes (camelCase, enums as names).</summary>
public static class PlanJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase), new RoundedDoubleConverter() },
    };
}
