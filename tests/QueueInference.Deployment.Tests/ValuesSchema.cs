using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;

namespace QueueInference.Deployment.Tests;

/// <summary>The chart's values.schema.json, applied the way `helm install` and `helm lint` apply it to the merged values.</summary>
internal static class ValuesSchema
{
    public static async Task<IReadOnlyList<string>> ValidateAsync(JObject values)
    {
        JsonSchema schema = await JsonSchema.FromFileAsync(RepoFiles.ChartValuesSchema);
        return [.. schema.Validate(values).Select(e => $"{KedaCrdSchemas.JsonPointerPath(e.Path)}: {e.Kind}")];
    }

    /// <summary>The chart's default values with one value replaced, as `--set path=value` would.</summary>
    public static JObject DefaultsWith(string dottedPath, JToken replacement)
    {
        JObject values = YamlDocuments.Load(RepoFiles.ChartValues);
        string[] keys = dottedPath.Split('.');
        JObject parent = values;
        foreach (string key in keys[..^1])
        {
            parent = parent[key] as JObject ?? (JObject)(parent[key] = new JObject());
        }
        parent[keys[^1]] = replacement;
        return values;
    }
}
