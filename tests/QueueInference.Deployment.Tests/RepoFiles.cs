namespace QueueInference.Deployment.Tests;

/// <summary>The repository files under test, copied beside the test assembly by the project file.</summary>
internal static class RepoFiles
{
    private static string InOutput(params string[] parts) => Path.Combine([AppContext.BaseDirectory, .. parts]);

    public static string KedaScaledObject => InOutput("repo", "keda", "scaledobject.yaml");

    public static string KedaTriggerAuthentication => InOutput("repo", "keda", "triggerauthentication.yaml");

    public static string KedaSecretExample => InOutput("repo", "keda", "secret.example.yaml");

    public static IEnumerable<string> KedaManifests => Directory.EnumerateFiles(InOutput("repo", "keda"), "*.yaml").Order(StringComparer.Ordinal);

    public static string ChartValues => InOutput("repo", "charts", "queue-inference", "values.yaml");

    public static string ChartValuesSchema => InOutput("repo", "charts", "queue-inference", "values.schema.json");

    /// <summary>The planner's output for the seed workload in one mode (worker or functions), HTTP metric: the chart's defaults.</summary>
    public static string PlannerSeedRecommendation(string mode) => InOutput("repo", "results", "planner", $"seed-{mode}-http", "plan.json");

    /// <summary>Every setting the planner's search tried for that run, and how it did.</summary>
    public static string PlannerSeedCandidates(string mode) => InOutput("repo", "results", "planner", $"seed-{mode}-http", "candidates.csv");

    public static string KedaCrdDirectory => InOutput("TestData", "keda-v2.20.2");
}
