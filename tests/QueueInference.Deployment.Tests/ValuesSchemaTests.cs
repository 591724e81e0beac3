using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace QueueInference.Deployment.Tests;

/// <summary>charts/queue-inference/values.yaml against values.schema.json, and the schema's power to refuse bad values.</summary>
public sealed partial class ValuesSchemaTests
{
    [Fact]
    public async Task Validate_DefaultValues_HasNoProblems()
    {
        // Arrange
        JObject values = YamlDocuments.Load(RepoFiles.ChartValues);

        // Act
        IReadOnlyList<string> problems = await ValuesSchema.ValidateAsync(values);

        // Assert
        Assert.Empty(problems);
    }

    public static TheoryData<string, string, string> InvalidOverrides => new()
    {
        // path, override as JSON, path the schema must report
        { "mode", "\"lambda\"", "mode" },
        { "mode", "1", "mode" },
        { "keda.value", "\"20000\"", "keda.value" },
        { "keda.value", "-1", "keda.value" },
        { "keda.enabled", "\"yes\"", "keda.enabled" },
        { "keda.protocol", "\"amqps\"", "keda.protocol" },
        { "keda.fallback.behavior", "\"sometimes\"", "keda.fallback.behavior" },
        { "keda.pollingIntervall", "10", "keda.pollingIntervall" },
        { "keda.maxReplicaCount", "-1", "keda.maxReplicaCount" },
        { "keda.recommended.functions.value", "0", "keda.recommended.functions.value" },
        { "keda.recommended.worker.valu", "100000", "keda.recommended.worker.valu" },
        { "config.IoStep.Delay", "\"3\"", "config.IoStep.Delay" },
        { "config.IoStep.Distribution", "\"Gaussian\"", "config.IoStep.Distribution" },
        { "config.IoStep.Dely", "\"00:00:03\"", "config.IoStep.Dely" },
        { "config.Consumer.MaxInFlight", "0", "config.Consumer.MaxInFlight" },
        { "config.Consumer.MaxInFlight", "1000001", "config.Consumer.MaxInFlight" },
        { "config.Transformation.Mode", "\"Slow\"", "config.Transformation.Mode" },
        { "rabbitmq.connectionString", "\"localhost:5672\"", "rabbitmq.connectionString" },
        { "terminationGracePeriodSeconds", "\"40\"", "terminationGracePeriodSeconds" },
        { "image.pullPolicy", "\"Sometimes\"", "image.pullPolicy" },
        { "config.IoStep.FailureRate", "1.5", "config.IoStep.FailureRate" },
        { "config.Retry.MaxAttempts", "0", "config.Retry.MaxAttempts" },
        { "config.Pipeline.MessageTimeout", "\"60\"", "config.Pipeline.MessageTimeout" },
        { "config.IoStep.Delay", "\"3\"", "config.IoStep.Delay" },
        { "config.IoStep.Delay", "\"3 s\"", "config.IoStep.Delay" },
        { "config.Reply.Persistent", "\"yes\"", "config.Reply.Persistent" },
        { "metrics.enabled", "\"true\"", "metrics.enabled" },
        { "metrics.serviceMonitor.interval", "\"30\"", "metrics.serviceMonitor.interval" },
        { "metrics.serviceMonitor.namespace", "\"monitoring\"", "metrics.serviceMonitor.namespace" },
        { "prometheusRule.enabled", "\"true\"", "prometheusRule.enabled" },
        { "prometheusRule.pickUpWait.seconds", "90", "prometheusRule.pickUpWait.seconds" },
        { "prometheusRule.retryRate.threshold", "1.5", "prometheusRule.retryRate.threshold" },
        { "prometheusRule.brokerDisconnected.for", "\"2 minutes\"", "prometheusRule.brokerDisconnected.for" },
        { "prometheusRule.consumersPaused", "{\"for\": \"15m\"}", "prometheusRule.consumersPaused" },
        { "prometheusRule.alertLabels", "{\"severity\": \"page\"}", "prometheusRule.alertLabels" },
        { "grafanaDashboard.labels", "{\"grafana_dashboard\": 1}", "grafanaDashboard.labels.grafana_dashboard" },
    };

    [Theory]
    [MemberData(nameof(InvalidOverrides))]
    public async Task Validate_InvalidOverride_ReportsThatValue(string path, string json, string reportedPath)
    {
        // Arrange
        JObject values = ValuesSchema.DefaultsWith(path, JToken.Parse(json));

        // Act
        IReadOnlyList<string> problems = await ValuesSchema.ValidateAsync(values);

        // Assert
        Assert.Contains(problems, p => p.StartsWith(reportedPath + ":", StringComparison.Ordinal));
    }

    public static TheoryData<string, string> ValidOverrides => new()
    {
        { "mode", "\"functions\"" },
        { "keda.enabled", "false" },
        { "keda.protocol", "\"amqp\"" },
        { "keda.value", "5000" },
        { "keda.minReplicaCount", "1" },
        { "keda.maxReplicaCount", "50" },
        { "config.IoStep.Delay", "\"00:00:00.250\"" },
        { "config.IoStep.Delay", "\"250ms\"" },
        { "config.Consumer.DrainTimeout", "\"25s\"" },
        { "config.Pipeline.MessageTimeout", "\"1m\"" },
        { "config.Observability.SummaryInterval", "\"0\"" },
        { "config.IoStep.Distribution", "\"Exponential\"" },
        { "rabbitmq.existingSecret", "\"broker\"" },
        { "rabbitmq.connectionString", "\"amqps://user:pw@broker.example:5671/prod\"" },
        { "podDisruptionBudget.maxUnavailable", "\"50%\"" },
        { "model.volume", "{\"persistentVolumeClaim\": {\"claimName\": \"models\"}}" },
        { "config.IoStep.FailureRate", "0.05" },
        { "config.Retry.MaxDelay", "\"1.00:00:00\"" },
        { "metrics.serviceMonitor.enabled", "true" },
        { "metrics.serviceMonitor.interval", "\"1m30s\"" },
        { "metrics.serviceMonitor.labels", "{\"release\": \"prometheus\"}" },
    };

    [Theory]
    [MemberData(nameof(ValidOverrides))]
    public async Task Validate_ValidOverride_HasNoProblems(string path, string json)
    {
        // Arrange
        JObject values = ValuesSchema.DefaultsWith(path, JToken.Parse(json));

        // Act
        IReadOnlyList<string> problems = await ValuesSchema.ValidateAsync(values);

        // Assert
        Assert.Empty(problems);
    }

    [Fact]
    public void ValuesYaml_EveryValue_IsDocumentedByAParamLine()
    {
        // Arrange: one convention, "## @param <path> <description>"; a documented map covers its free-form children.
        string text = File.ReadAllText(RepoFiles.ChartValues);
        HashSet<string> documented = [.. ParamLine().Matches(text).Select(m => m.Groups["path"].Value)];
        JObject values = YamlDocuments.ParseSingle(text);

        // Act
        string[] undocumented = [.. LeafPaths(values, "").Where(leaf => !documented.Any(doc => leaf == doc || leaf.StartsWith(doc + ".", StringComparison.Ordinal)))];
        string[] stale = [.. documented.Where(doc => values.SelectToken(doc) is null)];

        // Assert
        Assert.Empty(undocumented);
        Assert.Empty(stale);
    }

    private static IEnumerable<string> LeafPaths(JToken token, string path) =>
        token is JObject { HasValues: true } obj
            ? obj.Properties().SelectMany(p => LeafPaths(p.Value, path.Length == 0 ? p.Name : $"{path}.{p.Name}"))
            : [path];

    [GeneratedRegex(@"^\s*## @param (?<path>[A-Za-z0-9_.]+) \S", RegexOptions.Multiline)]
    private static partial Regex ParamLine();
}
