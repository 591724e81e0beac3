using System.Text.Json;

namespace QueueInference.Testing;

/// <summary>One answer of Prometheus' HTTP query API: <c>{"status": "success", "data": {"resultType", "result"}}</c> or an error.</summary>
public sealed record PrometheusAnswer(string Expression, int HttpStatus, JsonElement Body)
{
    public bool Succeeded => HttpStatus == 200 && Body.GetProperty("status").GetString() == "success";

    public string Error => Body.TryGetProperty("error", out JsonElement error) ? error.GetString() ?? string.Empty : string.Empty;

    /// <summary>Series of a vector or matrix result; 1 for a scalar or string; 0 for an empty vector or a failed query.</summary>
    public int SeriesCount
    {
        get
        {
            if (!Succeeded)
            {
                return 0;
            }

            JsonElement result = Body.GetProperty("data").GetProperty("result");
            return result.ValueKind == JsonValueKind.Array && result.GetArrayLength() > 0 && result[0].ValueKind != JsonValueKind.Object
                ? 1
                : result.GetArrayLength();
        }
    }

    /// <summary>The series of a vector or matrix result.</summary>
    public IEnumerable<JsonElement> Series => Succeeded ? Body.GetProperty("data").GetProperty("result").EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object) : [];
}
