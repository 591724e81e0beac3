using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using QueueInference.Testing;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace QueueInference.Worker.IntegrationTests;

/// <summary>
/// Issue 17: a real Prometheus (Debian's package) scrapes a running worker with monitoring/alerts.yaml loaded,
/// and every rule and every query of the Grafana dashboard is asked of its HTTP API. What only a cluster has
/// (kube-state-metrics' HPA series, KEDA's scaler metric) cannot exist here: those queries must parse and are
/// listed as needing a cluster, never counted as returning data.
/// </summary>
[Collection(SharedBroker.Name)]
public sealed partial class MonitoringTests(TestBroker broker, ITestOutputHelper output)
{
    private static readonly string RulesFile = Path.Combine(RepositoryPaths.Root, "monitoring", "alerts.yaml");
    private static readonly string DashboardFile = Path.Combine(RepositoryPaths.Root, "charts", "queue-inference", "files", "grafana-dashboard.json");

    /// <summary>What Grafana would put in for the dashboard's variables: every namespace and ScaledObject, a 1 m rate window.</summary>
    private static readonly Dictionary<string, string> DashboardVariables = new()
    {
        ["$namespace"] = ".*",
        ["$scaledobject"] = ".*",
        ["$__rate_interval"] = "1m",
    };

    [Fact]
    public async Task RulesAndDashboard_PrometheusScrapesAWorkerUnderLoad_EveryWorkerQueryReturnsData()
    {
        // Arrange: a worker whose I/O step fails a fifth of the time (retries, some exhausted), and a Prometheus
        // scraping it every second with the rules loaded.
        string queue = WorkerTestSettings.NewQueueName("monitoring");
        Dictionary<string, string> settings = WorkerTestSettings.For(broker.AmqpUrl, queue, TimeSpan.FromMilliseconds(200));
        settings["IoStep:FailureRate"] = "0.2";
        settings["Retry:MaxAttempts"] = "2";
        settings["Retry:InitialDelay"] = "00:00:00.100";
        int port = int.Parse(settings["Observability:Port"], System.Globalization.CultureInfo.InvariantCulture);
        await using var client = await SeedClient.ConnectAsync(broker.AmqpUrl, queue);
        await using var worker = WorkerProcess.Start(RepositoryPaths.Worker, settings);
        await worker.WaitForLineAsync(WorkerProcess.ConsumingMarker, TimeSpan.FromSeconds(30));
        await using var prometheus = await PrometheusServer.StartAsync("queue-inference", [$"127.0.0.1:{port}"], [RulesFile], TimeSpan.FromSeconds(60));
        await WaitForAsync(async () => (await prometheus.QueryAsync("up{job=\"queue-inference\"} == 1")).SeriesCount == 1, TimeSpan.FromSeconds(30), "Prometheus scrapes the worker");

        // Act: seed requests, and malformed ones in two waves a few scrapes apart, so the dead-letter counter
        // rises between two samples Prometheus holds (increase() cannot see a series' first value).
        await PublishMalformedAsync(client, 10);
        await client.PublishAsync(300);
        await Task.Delay(TimeSpan.FromSeconds(4));
        await PublishMalformedAsync(client, 10);
        await client.PublishAsync(300);
        await client.WaitForRepliesAsync(TimeSpan.FromSeconds(60), expected: 500);
        await client.WaitForQuietAsync(TimeSpan.FromSeconds(1));
        await WaitForAsync(async () => (await prometheus.QueryAsync("queueinference:requests_retried:rate5m")).SeriesCount > 0, TimeSpan.FromSeconds(30), "the recording rules record the retries");
        await WaitForAsync(async () => RuleStates(await prometheus.ApiAsync("rules")).All(r => r.Health == "ok"), TimeSpan.FromSeconds(30), "every rule evaluated without error");
        // increase() sees the second wave only after a scrape and an evaluation that follow it (1 s each), and the waits
        // above can all be over sooner: read the state once it has had the time, not at the first look.
        await WaitForAsync(async () => RuleStates(await prometheus.ApiAsync("rules")).Single(r => r.Name == "QueueInferenceDeadLettersGrowing").State == "firing", TimeSpan.FromSeconds(30), "the dead-letter alert fires");

        string exposition;
        using (var scraper = new MetricsScraper(port))
        {
            exposition = await scraper.ReadAsync();
        }

        List<RuleState> rules = RuleStates(await prometheus.ApiAsync("rules"));
        Dictionary<string, string> recorded = rules.Where(r => r.Type == "recording").ToDictionary(r => r.Name, r => r.Query);
        var checks = new List<(string What, string Expression, bool WorkerSide)>();
        var alertExpressions = new List<(string Name, string Expression)>();
        foreach (RuleState rule in rules)
        {
            // A healthy worker fires no alert, so an alert's own expression is rightly empty here; its signal (every
            // comparison as `bool`, which keeps the series, and `unless` as `and`, which matches series the same
            // way) must return data, or a label match inside it can never succeed.
            if (rule.Type == "alerting")
            {
                alertExpressions.Add((rule.Name, rule.Query));
                checks.Add(($"signal of {rule.Name}", Signal(rule.Query), !NeedsCluster(rule.Query, recorded)));
            }
            else
            {
                checks.Add(($"recording {rule.Name}", rule.Query, !NeedsCluster(rule.Query, recorded)));
            }

            foreach (string selector in Selectors(rule.Query))
            {
                checks.Add(($"  selector of {rule.Name}", selector, !NeedsCluster(selector, recorded)));
            }
        }

        JsonElement dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(DashboardFile)).RootElement;
        foreach (JsonElement panel in dashboard.GetProperty("panels").EnumerateArray())
        {
            foreach (JsonElement target in panel.GetProperty("targets").EnumerateArray())
            {
                string expression = Substitute(target.GetProperty("expr").GetString()!);
                checks.Add(($"panel '{panel.GetProperty("title").GetString()}' {target.GetProperty("legendFormat").GetString()}", expression, !NeedsCluster(expression, recorded)));
            }
        }

        foreach (JsonElement variable in dashboard.GetProperty("templating").GetProperty("list").EnumerateArray().Where(v => v.GetProperty("type").GetString() == "query"))
        {
            // label_values(<series>, <label>) is Grafana's; the series inside it is PromQL.
            string series = LabelValuesSeries().Match(variable.GetProperty("definition").GetString()!).Groups["series"].Value;
            checks.Add(($"variable ${variable.GetProperty("name").GetString()}", series, !NeedsCluster(series, recorded)));
        }

        var problems = new List<string>();
        var report = new StringBuilder();
        foreach ((string what, string expression, bool workerSide) in checks)
        {
            PrometheusAnswer answer = await prometheus.QueryAsync(expression);
            string verdict = !answer.Succeeded ? $"QUERY FAILED ({answer.HttpStatus}: {answer.Error})"
                : answer.SeriesCount > 0 ? $"data ({answer.SeriesCount} series)"
                : workerSide ? "NO DATA" : "needs a cluster: parses, no data here";
            report.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"{verdict,-40} {what}: {expression}");
            if (!answer.Succeeded || (workerSide && answer.SeriesCount == 0))
            {
                problems.Add($"{what}: {verdict}: {expression}");
            }
        }

        // The alerts' states as of the latest evaluation, beside what their expressions return now.
        rules = RuleStates(await prometheus.ApiAsync("rules"));
        foreach ((string name, string expression) in alertExpressions)
        {
            PrometheusAnswer answer = await prometheus.QueryAsync(expression);
            string state = rules.Single(r => r.Name == name).State;
            report.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"{(answer.Succeeded ? $"evaluates, {answer.SeriesCount} series; {state}" : $"QUERY FAILED ({answer.Error})"),-40} alert {name}: {expression}");
            if (!answer.Succeeded)
            {
                problems.Add($"alert {name}: {answer.Error}: {expression}");
            }
        }

        string[] workerMetricNames = [.. checks.SelectMany(c => WorkerMetricNames().Matches(c.Expression).Select(m => m.Value)).Distinct().Order(StringComparer.Ordinal)];
        string[] missingFromWorker = [.. workerMetricNames.Where(name => !Regex.IsMatch(exposition, $"^{Regex.Escape(name)}[{{ ]", RegexOptions.Multiline))];
        report.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"worker metric names used ({workerMetricNames.Length}), each in the worker's /metrics: {string.Join(", ", workerMetricNames)}");
        output.WriteLine(report.ToString());

        // Assert
        Assert.Equal(AlertsAndRecordsInFile(), rules.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.Empty(problems);
        Assert.Empty(missingFromWorker);
        Assert.Contains(checks, c => !c.WorkerSide);
        Assert.All(checks.Where(c => !c.WorkerSide), c => Assert.Matches("kube_|keda_|queueinference:keda_", c.Expression));
        Assert.Equal("firing", rules.Single(r => r.Name == "QueueInferenceDeadLettersGrowing").State);
        Assert.Equal("inactive", rules.Single(r => r.Name == "QueueInferenceBrokerDisconnected").State);
    }

    private static async Task PublishMalformedAsync(SeedClient client, int count)
    {
        for (int i = 0; i < count; i++)
        {
            await client.PublishRawAsync("not json"u8.ToArray(), new BasicProperties { ReplyTo = client.ResponseQueue, CorrelationId = Guid.NewGuid().ToString() });
        }
    }

    /// <summary>Names of the rules the file declares (alert: and record: lines), sorted.</summary>
    private static IEnumerable<string> AlertsAndRecordsInFile() =>
        RuleNameLine().Matches(File.ReadAllText(RulesFile)).Select(m => m.Groups["name"].Value).Order(StringComparer.Ordinal);

    /// <summary>An expression depends on the cluster when it reads kube-state-metrics or KEDA, directly or through a recorded series that does.</summary>
    private static bool NeedsCluster(string expression, IReadOnlyDictionary<string, string> recorded) =>
        ClusterMetricName().IsMatch(expression)
        || recorded.Any(r => expression.Contains(r.Key, StringComparison.Ordinal) && r.Value != expression && NeedsCluster(r.Value, recorded));

    /// <summary>The alert's expression with its conditions turned into values: comparisons outside label matchers as bool, unless as and.</summary>
    private static string Signal(string alertExpression) =>
        Comparison().Replace(alertExpression.Replace(" unless ", " and ", StringComparison.Ordinal), "${op} bool");

    private static IEnumerable<string> Selectors(string expression) => VectorSelector().Matches(expression).Select(m => m.Value).Distinct();

    private static string Substitute(string expression) =>
        DashboardVariables.Aggregate(expression, (text, variable) => text.Replace(variable.Key, variable.Value, StringComparison.Ordinal));

    private static List<RuleState> RuleStates(JsonElement rulesData) =>
        [.. rulesData.GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("rules").EnumerateArray()).Select(r => new RuleState(
            r.GetProperty("name").GetString()!,
            r.GetProperty("type").GetString()!,
            r.GetProperty("query").GetString()!,
            r.GetProperty("health").GetString()!,
            r.TryGetProperty("state", out JsonElement state) ? state.GetString()! : "-"))];

    private async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (stopwatch.Elapsed > timeout)
            {
                throw new TimeoutException($"Not within {timeout}: {what}");
            }

            await Task.Delay(500);
        }

        output.WriteLine($"after {stopwatch.Elapsed.TotalSeconds:F1} s: {what}");
    }

    [GeneratedRegex(@"(?<![\w:])(?:queueinference[_:]|kube_|keda_)[A-Za-z0-9_:]*(?:\{[^}]*\})?")]
    private static partial Regex VectorSelector();

    [GeneratedRegex(@"(?<op>>=|<=|==|!=|>|<)(?![^{]*\})")]
    private static partial Regex Comparison();

    [GeneratedRegex(@"(?<![\w:])(?:kube|keda)_[A-Za-z0-9_]+")]
    private static partial Regex ClusterMetricName();

    [GeneratedRegex(@"(?<![\w:])queueinference_[a-z_]+")]
    private static partial Regex WorkerMetricNames();

    [GeneratedRegex(@"^\s*- (?:alert|record): (?<name>\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex RuleNameLine();

    [GeneratedRegex(@"^label_values\((?<series>.+),\s*\w+\)$")]
    private static partial Regex LabelValuesSeries();

    private sealed record RuleState(string Name, string Type, string Query, string Health, string State);
}
