using QueueInference.Cli.Planning;

namespace QueueInference.Deployment.Tests;

/// <summary>
/// <c>qi plan</c> without --value simulates what the chart deploys (keda.value 0 takes keda.recommended.&lt;mode&gt;.value),
/// so its "settings as given" match a default install.
/// </summary>
public sealed class PlannerDefaultsMatchChartTests
{
    private readonly ChartDefaults _defaults = new(YamlDocuments.Load(RepoFiles.ChartValues));

    [Theory]
    [InlineData(PlanMode.Worker, "worker")]
    [InlineData(PlanMode.Functions, "functions")]
    public void ChartValue_EachHost_IsTheChartsRecommendedValue(PlanMode mode, string chartMode)
    {
        // Act
        double plannerDefault = PlanDefaults.ChartValue(mode);

        // Assert
        Assert.Equal(_defaults.Recommended(chartMode, "value"), plannerDefault);
    }
}
