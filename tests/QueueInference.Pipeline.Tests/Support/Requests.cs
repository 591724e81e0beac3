using System.Text;
using Microsoft.Extensions.Options;
using QueueInference.Pipeline.Contract;

namespace QueueInference.Pipeline.Tests.Support;

/// <summary>Parsed seed-format requests, as the pipeline sees them.</summary>
internal static class Requests
{
    private static readonly RequestParser Parser = new(Options.Create(new ContractOptions()));

    public static InferenceRequest Parse(string messageId, params double[] data)
    {
        string json = $$"""{"message_id": "{{messageId}}", "data": [{{string.Join(", ", data.Select(d => PythonFloat.ToString(d)))}}], "send_timestamp": 1700000000.5}""";
        return Parse(json);
    }

    public static InferenceRequest Parse(string json) =>
        Parser.TryParse(Encoding.UTF8.GetBytes(json), out InferenceRequest? request, out RejectionReason reason)
            ? request!
            : throw new ArgumentException($"{json} does not parse: {reason}", nameof(json));
}
