using Newtonsoft.Json.Linq;

namespace QueueInference.Deployment.Tests;

/// <summary>The rules of charts/queue-inference/templates that decide the KEDA objects, applied to its values.</summary>
internal sealed class ChartDefaults(JObject values)
{
    /// <summary>
    /// "queue-inference.fullname" for the release name the docs use, `helm install queue-inference ...`:
    /// a release name that contains the chart name is used alone.
    /// </summary>
    public const string FullName = "queue-inference";

    public JObject Values { get; } = values;

    public JToken Keda => Values["keda"]!;

    public string Mode => (string)Values["mode"]!;

    public string Protocol => (string)Keda["protocol"]!;

    public string RequestQueue => (string)Values.SelectToken("config.RabbitMQ.RequestQueue")!;

    /// <summary>"queue-inference.secretName": rabbitmq.existingSecret, or "&lt;fullname&gt;-rabbitmq" when the chart creates it.</summary>
    public string SecretName => (string?)Values.SelectToken("rabbitmq.existingSecret") is { Length: > 0 } existing ? existing : $"{FullName}-rabbitmq";

    public string SecretKey(string name) => (string)Values.SelectToken($"rabbitmq.secretKeys.{name}")!;

    /// <summary>"queue-inference.kedaValue": keda.value when positive, else keda.recommended.&lt;mode&gt;.value (the planner's).</summary>
    public long KedaValue => PositiveOrRecommended("value");

    /// <summary>"queue-inference.kedaMaxReplicaCount": keda.maxReplicaCount when positive, else keda.recommended.&lt;mode&gt;.maxReplicaCount.</summary>
    public long MaxReplicaCount => PositiveOrRecommended("maxReplicaCount");

    /// <summary>keda.recommended.&lt;mode&gt;.&lt;key&gt;, the planner's number for one host.</summary>
    public long Recommended(string mode, string key) => (long)Keda.SelectToken($"recommended.{mode}.{key}")!;

    private long PositiveOrRecommended(string key) => (long)Keda[key]! > 0 ? (long)Keda[key]! : Recommended(Mode, key);
}
