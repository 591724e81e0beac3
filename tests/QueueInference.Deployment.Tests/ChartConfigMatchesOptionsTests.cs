using Newtonsoft.Json.Linq;

namespace QueueInference.Deployment.Tests;

/// <summary>
/// The chart's `config` must list every setting of the app's option classes, with the class's default,
/// and nothing else: a renamed or added property would otherwise reach pods as an env var the app
/// ignores, or never be settable from the chart.
/// </summary>
public sealed class ChartConfigMatchesOptionsTests
{
    /// <summary>Sections under `config` that configure the framework, not an option class of the app.</summary>
    private static readonly HashSet<string> FrameworkSections = new(StringComparer.Ordinal) { "Logging" };

    private readonly JObject _config = (JObject)YamlDocuments.Load(RepoFiles.ChartValues)["config"]!;

    [Fact]
    public void ConfigKeys_ComparedWithOptionClasses_AreTheSameSet()
    {
        // Arrange
        IReadOnlyDictionary<string, string> options = OptionClasses.Defaults();

        // Act
        HashSet<string> chartKeys = [.. ChartSettings().Keys];
        string[] missingFromChart = [.. options.Keys.Where(key => !chartKeys.Contains(key))];
        string[] unknownToApp = [.. chartKeys.Where(key => !options.ContainsKey(key)).Order(StringComparer.Ordinal)];

        // Assert
        Assert.Empty(missingFromChart);
        Assert.Empty(unknownToApp);
    }

    [Fact]
    public void ConfigDefaults_ComparedWithOptionClasses_EqualTheClassDefaults()
    {
        // Arrange
        IReadOnlyDictionary<string, string> options = OptionClasses.Defaults();

        // Act
        string[] differing =
        [
            .. ChartSettings()
                .Where(setting => options.TryGetValue(setting.Key, out string? classDefault) && !OptionClasses.Same(setting.Value, classDefault))
                .Select(setting => $"config.{setting.Key}: chart \"{setting.Value}\", class \"{options[setting.Key]}\""),
        ];

        // Assert
        Assert.Empty(differing);
    }

    /// <summary>"Section.Property" and value of every leaf under `config`, the framework sections left out.</summary>
    private Dictionary<string, string> ChartSettings() =>
        _config.Properties()
            .Where(section => !FrameworkSections.Contains(section.Name))
            .SelectMany(section => ((JObject)section.Value).Properties(), (section, setting) => (Key: $"{section.Name}.{setting.Name}", setting.Value))
            .ToDictionary(s => s.Key, s => OptionClasses.Format(((JValue)s.Value).Value), StringComparer.Ordinal);
}
