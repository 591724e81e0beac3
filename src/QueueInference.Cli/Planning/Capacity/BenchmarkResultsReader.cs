using System.Text.Json;

namespace QueueInference.Cli.Planning.Capacity;

/// <summary>
/// Reads the benchmark's results JSON (issue 5's contract): <c>{"scenarios": [{"name", "throughputPerSecond",
/// "drainSeconds", "backlog", "maxInFlight", "ioDelaySeconds", "coldStartSeconds"?, "sustainedPerSecond"?,
/// "offeredRatePerSecond"?, "transformationMode"?}]}</c>. Unknown fields are ignored and null counts as absent
/// (a cold-start scenario has no throughput, a small one no sustained rate); a mistyped field is an error
/// naming it, and so is a missing one in the scenario the capacity is taken from.
/// </summary>
public static class BenchmarkResultsReader
{
    public static IReadOnlyList<BenchmarkScenario> Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException exception)
        {
            throw new FormatException($"{source}: not valid JSON ({exception.Message})", exception);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !TryGet(document.RootElement, "scenarios", out JsonElement scenarios)
                || scenarios.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"{source}: expected a top-level object with a \"scenarios\" array");
            }

            var result = new List<BenchmarkScenario>();
            int index = 0;
            foreach (JsonElement scenario in scenarios.EnumerateArray())
            {
                string where = $"{source}: scenarios[{index}]";
                string name = RequiredString(scenario, "name", where);
                where = $"{source}: scenario \"{name}\"";
                result.Add(new BenchmarkScenario(
                    name,
                    OptionalNumber(scenario, "throughputPerSecond", where),
                    OptionalNumber(scenario, "drainSeconds", where),
                    (long?)OptionalNumber(scenario, "backlog", where),
                    (int?)OptionalNumber(scenario, "maxInFlight", where),
                    OptionalNumber(scenario, "ioDelaySeconds", where),
                    OptionalNumber(scenario, "coldStartSeconds", where),
                    OptionalNumber(scenario, "offeredRatePerSecond", where),
                    OptionalString(scenario, "transformationMode"),
                    OptionalNumber(scenario, "sustainedPerSecond", where),
                    OptionalString(scenario, "process"),
                    OptionalString(scenario, "values"),
                    TryGet(scenario, "blip", out JsonElement blip) && blip.ValueKind == JsonValueKind.Object));
                index++;
            }

            return result.Count > 0 ? result : throw new FormatException($"{source}: \"scenarios\" is empty");
        }
    }

    /// <summary>
    /// The scenario called <paramref name="name"/> (or the only one), which must carry every field of the
    /// contract because the planner takes one pod's capacity from it.
    /// </summary>
    public static BenchmarkScenario Select(IReadOnlyList<BenchmarkScenario> scenarios, string name, string source)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        BenchmarkScenario match = scenarios.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? (scenarios.Count == 1
                ? scenarios[0]
                : throw new FormatException($"{source}: no scenario named \"{name}\" (found: {string.Join(", ", scenarios.Select(s => s.Name))})"));
        IReadOnlyList<string> missing = match.MissingFields();
        return missing.Count == 0
            ? match
            : throw new FormatException($"{source}: scenario \"{match.Name}\": missing number field {string.Join(", ", missing.Select(f => $"\"{f}\""))}");
    }

    private static bool TryGet(JsonElement element, string name, out JsonElement value)
    {
        // Lenient on case: "ThroughputPerSecond" from a PascalCase serializer is accepted too.
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    private static string? OptionalString(JsonElement element, string name) =>
        TryGet(element, name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string RequiredString(JsonElement element, string name, string where) =>
        TryGet(element, name, out JsonElement value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw new FormatException($"{where}: missing string field \"{name}\"");

    private static double? OptionalNumber(JsonElement element, string name, string where)
    {
        if (!TryGet(element, name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double number) && double.IsFinite(number) && number >= 0
            ? number
            : throw new FormatException($"{where}: field \"{name}\" must be a non-negative number");
    }
}
