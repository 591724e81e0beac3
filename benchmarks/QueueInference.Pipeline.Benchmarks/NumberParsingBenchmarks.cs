using System.Globalization;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using csFastFloat;
using Microsoft.Extensions.Options;
using QueueInference.Pipeline.Contract;

namespace QueueInference.Pipeline.Benchmarks;

/// <summary>
/// The request's numbers, as the model rows send them (64 values of Python's repr): the runtime's parse behind
/// <see cref="Utf8JsonReader.TryGetDouble"/> against csFastFloat, which the parser uses, and the whole parse.
/// </summary>
[MemoryDiagnoser]
public class NumberParsingBenchmarks
{
    private const int Values = 64;
    private readonly RequestParser _parser = new(Options.Create(new ContractOptions()));
    private byte[] _body = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(64);
        string data = string.Join(", ", Enumerable.Range(0, Values).Select(_ => (random.NextDouble() * 2 - 1).ToString("R", CultureInfo.InvariantCulture)));
        _body = Encoding.UTF8.GetBytes($$"""{"message_id": "6f1c2a9e-1b7e-4c1e-9d59-3f0e1d2c4b5a", "data": [{{data}}], "send_timestamp": 1763880000.123456}""");
    }

    [Benchmark(Baseline = true, Description = "64 numbers: Utf8JsonReader.TryGetDouble")]
    public double RuntimeParse()
    {
        var reader = new Utf8JsonReader(_body);
        double sum = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out double value))
            {
                sum += value;
            }
        }

        return sum;
    }

    [Benchmark(Description = "64 numbers: csFastFloat on the token")]
    public double FastFloatParse()
    {
        var reader = new Utf8JsonReader(_body);
        double sum = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.Number && FastDoubleParser.TryParseDouble(reader.ValueSpan, out int _, out double value))
            {
                sum += value;
            }
        }

        return sum;
    }

    [Benchmark(Description = "parse + validate, 64 values (RequestParser)")]
    public bool ParseRequest()
    {
        bool parsed = _parser.TryParse(_body, out InferenceRequest? request, out _);
        request?.Dispose();
        return parsed;
    }
}
