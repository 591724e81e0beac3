using Newtonsoft.Json.Linq;

namespace QueueInference.Deployment.Tests;

/// <summary>keda/*.yaml against KEDA v2.20.2's CRD schemas (issue 4: "keda/ validates").</summary>
public sealed class KedaManifestSchemaTests
{
    private static readonly Lazy<Task<KedaCrdSchemas>> _schemas = new(() => KedaCrdSchemas.LoadAsync(RepoFiles.KedaCrdDirectory));

    public static TheoryData<string> KedaKindManifests => new() { "scaledobject.yaml", "triggerauthentication.yaml" };

    [Theory]
    [MemberData(nameof(KedaKindManifests))]
    public async Task Validate_ShippedKedaManifest_HasNoProblems(string fileName)
    {
        // Arrange
        KedaCrdSchemas schemas = await _schemas.Value;
        JObject manifest = YamlDocuments.Load(Path.Combine(Path.GetDirectoryName(RepoFiles.KedaScaledObject)!, fileName));

        // Act
        IReadOnlyList<string> problems = schemas.Validate(manifest);

        // Assert
        Assert.True(schemas.Knows((string)manifest["apiVersion"]!, (string)manifest["kind"]!), $"{fileName} is not a KEDA kind");
        Assert.Empty(problems);
    }

    [Fact]
    public void KedaDirectory_EveryDocument_HasApiVersionKindAndName()
    {
        // Arrange
        List<(string File, JToken Document)> documents = [.. RepoFiles.KedaManifests
            .SelectMany(path => YamlDocuments.Parse(File.ReadAllText(path)).Select(d => (Path.GetFileName(path), d)))];

        // Act
        string[] incomplete = [.. documents
            .Where(d => string.IsNullOrEmpty((string?)d.Document["apiVersion"]) || string.IsNullOrEmpty((string?)d.Document["kind"]) || string.IsNullOrEmpty((string?)d.Document.SelectToken("metadata.name")))
            .Select(d => d.File)];

        // Assert
        Assert.Equal(["ScaledObject", "Secret", "TriggerAuthentication"], documents.Select(d => (string?)d.Document["kind"]).Order(StringComparer.Ordinal));
        Assert.Empty(incomplete);
    }

    [Fact]
    public async Task Validate_PollingIntervalAsString_ReportsIt()
    {
        // Arrange
        KedaCrdSchemas schemas = await _schemas.Value;
        JObject manifest = YamlDocuments.Load(RepoFiles.KedaScaledObject);
        manifest["spec"]!["pollingInterval"] = "10";

        // Act
        IReadOnlyList<string> problems = schemas.Validate(manifest);

        // Assert
        Assert.Contains(problems, p => p.StartsWith("spec.pollingInterval:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Validate_TriggerValueAsNumber_ReportsIt()
    {
        // Arrange: trigger metadata is map[string]string; an unquoted `value: 20000` is refused by the API server.
        KedaCrdSchemas schemas = await _schemas.Value;
        JObject manifest = YamlDocuments.Load(RepoFiles.KedaScaledObject);
        manifest.SelectToken("spec.triggers[0].metadata")!["value"] = 20000;

        // Act
        IReadOnlyList<string> problems = schemas.Validate(manifest);

        // Assert
        Assert.Contains(problems, p => p.StartsWith("spec.triggers[0].metadata.value:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Validate_ScaledObjectWithoutTriggers_ReportsIt()
    {
        // Arrange
        KedaCrdSchemas schemas = await _schemas.Value;
        JObject manifest = YamlDocuments.Load(RepoFiles.KedaScaledObject);
        ((JObject)manifest["spec"]!).Remove("triggers");

        // Act
        IReadOnlyList<string> problems = schemas.Validate(manifest);

        // Assert
        Assert.Contains(problems, p => p.Contains("PropertyRequired", StringComparison.Ordinal) && p.Contains("triggers", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Validate_FallbackBehaviorOutsideEnum_ReportsIt()
    {
        // Arrange
        KedaCrdSchemas schemas = await _schemas.Value;
        JObject manifest = YamlDocuments.Load(RepoFiles.KedaScaledObject);
        manifest.SelectToken("spec.fallback")!["behavior"] = "currentReplicasIfBigger";

        // Act
        IReadOnlyList<string> problems = schemas.Validate(manifest);

        // Assert
        Assert.Contains(problems, p => p.StartsWith("spec.fallback.behavior:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Validate_MisspelledField_ReportsUnknownField()
    {
        // Arrange: the API server would silently drop `cooldownPeriods` and keep KEDA's default.
        KedaCrdSchemas schemas = await _schemas.Value;
        JObject manifest = YamlDocuments.Load(RepoFiles.KedaScaledObject);
        manifest["spec"]!["cooldownPeriods"] = 300;

        // Act
        IReadOnlyList<string> problems = schemas.Validate(manifest);

        // Assert
        Assert.Contains("spec.cooldownPeriods: unknown field (the API server would drop it)", problems);
    }

    [Fact]
    public async Task Validate_SecretTargetRefWithoutKey_ReportsIt()
    {
        // Arrange
        KedaCrdSchemas schemas = await _schemas.Value;
        JObject manifest = YamlDocuments.Load(RepoFiles.KedaTriggerAuthentication);
        ((JObject)manifest.SelectToken("spec.secretTargetRef[0]")!).Remove("key");

        // Act
        IReadOnlyList<string> problems = schemas.Validate(manifest);

        // Assert
        Assert.Contains(problems, p => p.Contains("PropertyRequired", StringComparison.Ordinal) && p.Contains("key", StringComparison.Ordinal));
    }
}
