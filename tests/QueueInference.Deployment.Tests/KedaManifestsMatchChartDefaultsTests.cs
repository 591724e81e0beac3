using Newtonsoft.Json.Linq;

namespace QueueInference.Deployment.Tests;

/// <summary>
/// keda/ must equal what the chart renders with its defaults (issue 4). Without helm here, the
/// tests read the chart's values.yaml and apply the few rules of its templates (documented on
/// each member of <see cref="ChartDefaults"/>), then compare field by field.
/// </summary>
public sealed class KedaManifestsMatchChartDefaultsTests
{
    private readonly ChartDefaults _chart = new(YamlDocuments.Load(RepoFiles.ChartValues));
    private readonly JObject _scaledObject = YamlDocuments.Load(RepoFiles.KedaScaledObject);
    private readonly JObject _triggerAuthentication = YamlDocuments.Load(RepoFiles.KedaTriggerAuthentication);
    private readonly JObject _secret = YamlDocuments.Load(RepoFiles.KedaSecretExample);

    [Fact]
    public void ScaledObject_ReplicaBoundsAndTimings_EqualChartDefaults()
    {
        // Arrange
        JToken keda = _chart.Keda;

        // Act
        JToken spec = _scaledObject["spec"]!;

        // Assert
        Assert.Equal((long)keda["pollingInterval"]!, (long)spec["pollingInterval"]!);
        Assert.Equal((long)keda["cooldownPeriod"]!, (long)spec["cooldownPeriod"]!);
        Assert.Equal((long)keda["minReplicaCount"]!, (long)spec["minReplicaCount"]!);
        Assert.Equal(_chart.MaxReplicaCount, (long)spec["maxReplicaCount"]!);
    }

    [Fact]
    public void ScaledObject_Fallback_EqualsChartDefaults()
    {
        // Arrange
        JToken fallbackValues = _chart.Keda["fallback"]!;
        Assert.True((bool)fallbackValues["enabled"]!, "the comparison below assumes the chart's default renders a fallback");

        // Act
        JToken fallback = _scaledObject.SelectToken("spec.fallback")!;

        // Assert
        Assert.Equal((long)fallbackValues["failureThreshold"]!, (long)fallback["failureThreshold"]!);
        Assert.Equal((long)fallbackValues["replicas"]!, (long)fallback["replicas"]!);
        Assert.Equal((string)fallbackValues["behavior"]!, (string)fallback["behavior"]!);
    }

    [Fact]
    public void ScaledObject_HpaBehavior_EqualsChartDefaults()
    {
        // Arrange
        JToken expected = _chart.Keda["behavior"]!;

        // Act
        JToken? actual = _scaledObject.SelectToken("spec.advanced.horizontalPodAutoscalerConfig.behavior");

        // Assert
        Assert.True(JToken.DeepEquals(expected, actual), $"keda/ behavior {actual} differs from values.yaml keda.behavior {expected}");
    }

    [Fact]
    public void ScaledObject_RabbitMqTrigger_FollowsChartDefaults()
    {
        // Arrange
        string protocol = _chart.Protocol;

        // Act
        JToken trigger = Assert.Single(_scaledObject.SelectToken("spec.triggers")!);
        JToken metadata = trigger["metadata"]!;

        // Assert
        Assert.Equal("rabbitmq", (string)trigger["type"]!);
        Assert.Equal(protocol, (string)metadata["protocol"]!);
        Assert.Equal("QueueLength", (string)metadata["mode"]!);
        Assert.Equal(_chart.RequestQueue, (string)metadata["queueName"]!);
        Assert.Equal(_chart.KedaValue.ToString(System.Globalization.CultureInfo.InvariantCulture), (string)metadata["value"]!);
        Assert.Equal(((long)_chart.Keda["activationValue"]!).ToString(System.Globalization.CultureInfo.InvariantCulture), (string)metadata["activationValue"]!);
        Assert.Equal(protocol == "http" ? "false" : null, (string?)metadata["excludeUnacknowledged"]);
    }

    [Fact]
    public void ScaledObject_DefaultValueAndMaxReplicas_AreTheWorkerRecommendation()
    {
        // Arrange: the chart's defaults are worker mode with keda.value and keda.maxReplicaCount 0, i.e. "the mode's recommendation".
        Assert.Equal("worker", _chart.Mode);
        Assert.Equal(0, (long)_chart.Keda["value"]!);
        Assert.Equal(0, (long)_chart.Keda["maxReplicaCount"]!);

        // Act
        string value = (string)_scaledObject.SelectToken("spec.triggers[0].metadata.value")!;
        long maxReplicaCount = (long)_scaledObject.SelectToken("spec.maxReplicaCount")!;

        // Assert
        Assert.Equal(_chart.Recommended("worker", "value"), long.Parse(value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(_chart.Recommended("worker", "maxReplicaCount"), maxReplicaCount);
    }

    [Fact]
    public void ScaledObject_References_NameTheChartResources()
    {
        // Arrange
        string fullName = ChartDefaults.FullName;

        // Act
        JToken spec = _scaledObject["spec"]!;

        // Assert
        Assert.Equal(fullName, (string)_scaledObject.SelectToken("metadata.name")!);
        Assert.Equal("apps/v1", (string)spec.SelectToken("scaleTargetRef.apiVersion")!);
        Assert.Equal("Deployment", (string)spec.SelectToken("scaleTargetRef.kind")!);
        Assert.Equal(fullName, (string)spec.SelectToken("scaleTargetRef.name")!);
        Assert.Equal((string)_triggerAuthentication.SelectToken("metadata.name")!, (string)spec.SelectToken("triggers[0].authenticationRef.name")!);
    }

    [Fact]
    public void TriggerAuthentication_Host_ComesFromTheSecretKeyOfTheProtocol()
    {
        // Arrange
        string expectedKey = _chart.Protocol == "http" ? _chart.SecretKey("managementUrl") : _chart.SecretKey("connectionString");

        // Act
        JToken reference = Assert.Single(_triggerAuthentication.SelectToken("spec.secretTargetRef")!);

        // Assert
        Assert.Equal(ChartDefaults.FullName, (string)_triggerAuthentication.SelectToken("metadata.name")!);
        Assert.Equal("host", (string)reference["parameter"]!);
        Assert.Equal(_chart.SecretName, (string)reference["name"]!);
        Assert.Equal(expectedKey, (string)reference["key"]!);
    }

    [Fact]
    public void SecretExample_NameAndData_EqualTheChartCreatedSecret()
    {
        // Arrange
        var expected = new JObject
        {
            [_chart.SecretKey("connectionString")] = (string)_chart.Values.SelectToken("rabbitmq.connectionString")!,
            [_chart.SecretKey("managementUrl")] = (string)_chart.Values.SelectToken("rabbitmq.managementUrl")!,
        };

        // Act
        JToken? data = _secret["stringData"];

        // Assert
        Assert.Equal("Secret", (string)_secret["kind"]!);
        Assert.Equal(_chart.SecretName, (string)_secret.SelectToken("metadata.name")!);
        Assert.True(JToken.DeepEquals(expected, data), $"keda/ Secret data {data} differs from the chart's {expected}");
    }
}
