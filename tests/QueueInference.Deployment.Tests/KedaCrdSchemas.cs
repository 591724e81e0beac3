using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;

namespace QueueInference.Deployment.Tests;

/// <summary>
/// The openAPIV3Schema of each KEDA CRD version in TestData, keyed by (apiVersion, kind), and a
/// validator that reports what the API server would: schema violations, plus fields the schema does
/// not know. The API server silently prunes such fields (structural schemas), so a misspelled
/// `cooldownPeriods` would be accepted and ignored; here it is an error.
/// </summary>
internal sealed class KedaCrdSchemas
{
    private readonly Dictionary<(string ApiVersion, string Kind), (JsonSchema Schema, JObject Raw)> _schemas = [];

    private KedaCrdSchemas()
    {
    }

    public static async Task<KedaCrdSchemas> LoadAsync(string crdDirectory)
    {
        var result = new KedaCrdSchemas();
        foreach (string path in Directory.EnumerateFiles(crdDirectory, "*.yaml"))
        {
            JObject crd = YamlDocuments.Load(path);
            string group = (string)crd.SelectToken("spec.group")!;
            string kind = (string)crd.SelectToken("spec.names.kind")!;
            foreach (JToken version in crd.SelectToken("spec.versions")!)
            {
                var raw = (JObject)version.SelectToken("schema.openAPIV3Schema")!;
                JsonSchema schema = await JsonSchema.FromJsonAsync(raw.ToString());
                result._schemas[($"{group}/{(string)version["name"]!}", kind)] = (schema, raw);
            }
        }
        return result;
    }

    public bool Knows(string apiVersion, string kind) => _schemas.ContainsKey((apiVersion, kind));

    /// <summary>Problems of one document, each as "path: message"; empty when valid.</summary>
    public IReadOnlyList<string> Validate(JObject document)
    {
        string apiVersion = (string?)document["apiVersion"] ?? "";
        string kind = (string?)document["kind"] ?? "";
        if (!_schemas.TryGetValue((apiVersion, kind), out (JsonSchema Schema, JObject Raw) entry))
        {
            return [$"(root): no KEDA CRD schema for apiVersion '{apiVersion}' kind '{kind}'"];
        }
        var problems = new List<string>();
        foreach (ValidationError error in entry.Schema.Validate(document))
        {
            Describe(error, problems);
        }
        FindUnknownFields(document, entry.Raw, "", problems);
        return problems;
    }

    private static void Describe(ValidationError error, List<string> problems)
    {
        if (error is ChildSchemaValidationError child)
        {
            foreach (ValidationError inner in child.Errors.SelectMany(e => e.Value))
            {
                Describe(inner, problems);
            }
        }
        problems.Add($"{JsonPointerPath(error.Path)}: {error.Kind}");
    }

    /// <summary>NJsonSchema writes "#/spec.pollingInterval"; problems read "spec.pollingInterval".</summary>
    public static string JsonPointerPath(string? path) =>
        string.IsNullOrEmpty(path) || path == "#" ? "(root)" : path.StartsWith("#/", StringComparison.Ordinal) ? path[2..] : path;

    private static void FindUnknownFields(JToken value, JToken schema, string path, List<string> problems)
    {
        if (schema["x-kubernetes-preserve-unknown-fields"]?.Value<bool>() == true)
        {
            return;
        }
        if (value is JObject obj && schema["properties"] is JObject properties)
        {
            bool openEnded = schema["additionalProperties"] is JObject or JValue { Type: JTokenType.Boolean, Value: true };
            foreach (JProperty property in obj.Properties())
            {
                string propertyPath = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                if (properties[property.Name] is JToken propertySchema)
                {
                    FindUnknownFields(property.Value, propertySchema, propertyPath, problems);
                }
                else if (!openEnded)
                {
                    problems.Add($"{propertyPath}: unknown field (the API server would drop it)");
                }
            }
        }
        else if (value is JArray array && schema["items"] is JObject items)
        {
            for (int i = 0; i < array.Count; i++)
            {
                FindUnknownFields(array[i], items, $"{path}[{i}]", problems);
            }
        }
    }
}
