using QueueInference.Cli.Benchmarking;

namespace QueueInference.Cli.Tests.Benchmarking;

public sealed class BenchSettingsTests
{
    private static readonly string Worker = typeof(BenchSettingsTests).Assembly.Location;

    [Fact]
    public void DefaultScenarios_WithoutProductionScenarios_AsBefore()
    {
        Assert.Equal(["echo", "seed", "cpu-bound", "steady", "cold-start", "one-at-a-time"], BenchSettings.DefaultScenarios);
        Assert.Empty(BenchSettings.DefaultScenarios.Intersect(BenchSettings.ProductionScenarios));
        Assert.Equal(BenchSettings.KnownScenarios.Order(), BenchSettings.DefaultScenarios.Concat(BenchSettings.ProductionScenarios).Concat(BenchSettings.ModelScenarios).Order());
    }

    [Fact]
    public void Validate_ProductionScenariosWithTheSeedRow_NoErrors()
    {
        // The seed row sets the rising row's rates (as the steady row's), and the quorum row is read beside it.
        var settings = new BenchSettings { WorkerPath = Worker, Scenarios = ["seed", .. BenchSettings.ProductionScenarios] };

        Assert.Empty(settings.Validate());
    }

    [Fact]
    public void WorkerVariables_WorkerEnvPairs_SplitAtTheFirstEquals()
    {
        var settings = new BenchSettings { WorkerPath = Worker, WorkerEnvironment = ["OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318", "OTEL_RESOURCE_ATTRIBUTES=a=b,c=d"] };

        Assert.Empty(settings.Validate());
        Assert.Equal(
            [new("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318"), new("OTEL_RESOURCE_ATTRIBUTES", "a=b,c=d")],
            settings.WorkerVariables());
    }

    [Theory]
    [InlineData("OTEL_TRACES_SAMPLER")]
    [InlineData("=0.01")]
    public void Validate_WorkerEnvWithoutKeyOrEquals_Refused(string pair)
    {
        var settings = new BenchSettings { WorkerPath = Worker, WorkerEnvironment = [pair] };

        Assert.Contains(settings.Validate(), e => e.Contains("--worker-env", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_BlipWithAnExternalBroker_Refused()
    {
        var settings = new BenchSettings { WorkerPath = Worker, Broker = "amqp://guest:guest@localhost:5672/", Scenarios = ["blip-stop"] };

        Assert.Contains(settings.Validate(), e => e.Contains("private broker", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ClusterKillWithAnExternalBroker_Allowed()
    {
        // cluster-kill starts a cluster of its own whatever broker the other scenarios use.
        var settings = new BenchSettings { WorkerPath = Worker, Broker = "amqp://guest:guest@localhost:5672/", Scenarios = ["seed-max-length", "cluster-kill"] };

        Assert.Empty(settings.Validate());
    }

    [Fact]
    public void ProductionScenarios_NewRows_RunOnlyWhenNamed()
    {
        Assert.Contains("cluster-kill", BenchSettings.ProductionScenarios);
        Assert.Contains("seed-max-length", BenchSettings.ProductionScenarios);
        Assert.DoesNotContain("cluster-kill", BenchSettings.DefaultScenarios);
        Assert.DoesNotContain("seed-max-length", BenchSettings.DefaultScenarios);
    }

    [Fact]
    public void Validate_RisingWithoutSeed_Refused()
    {
        var settings = new BenchSettings { WorkerPath = Worker, Scenarios = ["echo", "rising"] };

        Assert.Contains(settings.Validate(), e => e.StartsWith("rising runs at an eighth", StringComparison.Ordinal));
    }

    [Fact]
    public void ProductionScenarios_Rising_RunsOnlyWhenNamedAfterSteady()
    {
        Assert.Contains("rising", BenchSettings.ProductionScenarios);
        Assert.DoesNotContain("rising", BenchSettings.DefaultScenarios);
        Assert.True(BenchSettings.KnownScenarios.ToList().IndexOf("rising") > BenchSettings.KnownScenarios.ToList().IndexOf("steady"));
    }

    [Fact]
    public void Validate_MixWithoutSeedSize_Refused()
    {
        var settings = new BenchSettings { WorkerPath = Worker, MixedValues = "6:95,4096:5" };

        Assert.Contains(settings.Validate(), e => e.StartsWith("--mixed-values must include", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_UnparsableMix_NamesTheBenchOption()
    {
        var settings = new BenchSettings { WorkerPath = Worker, MixedValues = "5:95,4096" };

        Assert.Contains(settings.Validate(), e => e.StartsWith("--mixed-values:", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ModelRowsWithoutEcho_Refused()
    {
        // Arrange
        var settings = new BenchSettings { WorkerPath = Worker, Scenarios = ["model-heavy"], HeavyModel = Worker };

        // Act
        IReadOnlyList<string> errors = settings.Validate();

        // Assert
        Assert.Contains(errors, e => e.Contains("include 'echo'", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ModelRowsWithAMissingModelFile_Refused()
    {
        // Arrange
        var settings = new BenchSettings { WorkerPath = Worker, Scenarios = ["echo", "model-heavy", "model-heavy-unbatched"], HeavyModel = "no/such/model.onnx" };

        // Act
        IReadOnlyList<string> errors = settings.Validate();

        // Assert
        Assert.Equal(["--heavy-model: no file at 'no/such/model.onnx'"], errors);
    }

    [Fact]
    public void Validate_ModelRowsWithEchoAndAModel_NoErrors()
    {
        // Arrange
        var settings = new BenchSettings { WorkerPath = Worker, Scenarios = ["echo", "model-heavy", "model-heavy-unbatched"], HeavyModel = Worker };

        // Act
        IReadOnlyList<string> errors = settings.Validate();

        // Assert
        Assert.Empty(errors);
    }

    [Fact]
    public void Validate_UnknownScenario_ListsEveryKnownOne()
    {
        var settings = new BenchSettings { WorkerPath = Worker, Scenarios = ["huge"] };

        Assert.Contains(settings.Validate(), e => e.Contains("unknown scenario 'huge'", StringComparison.Ordinal) && e.Contains("blip-stop", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(262_145)]
    public void Validate_PodCpuSharesOutsideTheKernelsRange_Refused(int shares)
    {
        // Arrange
        var settings = new BenchSettings { WorkerPath = Worker, PodCpuShares = shares };

        // Act
        IReadOnlyList<string> errors = settings.Validate();

        // Assert
        Assert.Equal(["--pod-cpu-shares must be between 2 and 262144 (cgroup v1 cpu.shares; 1024 is the kernel's default)"], errors);
    }

    [Fact]
    public void PodCpuShares_Default_TheKernelsDefault()
    {
        Assert.Equal(1024, new BenchSettings { WorkerPath = Worker }.PodCpuShares);
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(1024, 39)]
    [InlineData(262_144, 10_000)]
    public void CpuWeight_Shares_ConvertedAsKubernetesDoes(int shares, int weight)
    {
        Assert.Equal(weight, PodLimits.CpuWeight(shares));
    }
}
