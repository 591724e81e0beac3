using System.Globalization;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace QueueInference.Deployment.Tests;

/// <summary>
/// Reads YAML into JSON tokens with the types Kubernetes and Helm would see, so JSON Schema checks
/// what the API server checks. YamlDotNet's own deserializer turns every scalar into a string, which
/// would hide a quoted number where an integer is required: hence this resolution of plain scalars
/// per the YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution).
/// </summary>
internal static partial class YamlDocuments
{
    /// <summary>Every non-empty document of a (multi-document) YAML text.</summary>
    public static IReadOnlyList<JToken> Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return [.. stream.Documents.Where(d => d.RootNode is not YamlScalarNode { Value: null or "" }).Select(d => ToToken(d.RootNode))];
    }

    /// <summary>The one document of a YAML text.</summary>
    public static JObject ParseSingle(string yaml)
    {
        IReadOnlyList<JToken> documents = Parse(yaml);
        return documents is [JObject single]
            ? single
            : throw new InvalidDataException($"Expected one YAML mapping document, found {documents.Count} document(s).");
    }

    public static JObject Load(string path) => ParseSingle(File.ReadAllText(path));

    private static JToken ToToken(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JObject(mapping.Children.Select(pair => new JProperty(((YamlScalarNode)pair.Key).Value ?? "", ToToken(pair.Value)))),
        YamlSequenceNode sequence => new JArray(sequence.Children.Select(ToToken)),
        YamlScalarNode scalar => ToScalar(scalar),
        _ => throw new NotSupportedException($"YAML node {node.NodeType} at {node.Start}"),
    };

    private static JValue ToScalar(YamlScalarNode scalar)
    {
        string text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
        {
            return new JValue(text);
        }
        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return JValue.CreateNull();
        }
        if (text is "true" or "True" or "TRUE")
        {
            return new JValue(true);
        }
        if (text is "false" or "False" or "FALSE")
        {
            return new JValue(false);
        }
        if (IntegerPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
        {
            return new JValue(integer);
        }
        if (FloatPattern().IsMatch(text))
        {
            return new JValue(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
        }
        return new JValue(text);
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
