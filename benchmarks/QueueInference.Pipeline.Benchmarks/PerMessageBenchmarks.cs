using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using QueueInference.Pipeline.Contract;
using QueueInference.Pipeline.Inference;
using QueueInference.Pipeline.Stages;

namespace QueueInference.Pipeline.Benchmarks;

/// <summary>The CPU work one request costs, stage by stage, on the seed's request.</summary>
[MemoryDiagnoser]
public class PerMessageBenchmarks : IDisposable
{
    private const int Batch = 64;
    private readonly byte[] _body = Encoding.UTF8.GetBytes(
        """{"message_id": "6f1c2a9e-1b7e-4c1e-9d59-3f0e1d2c4b5a", "data": [0.5488135039273248, 0.7151893663724195, 0.6027633760716439, 0.5448831829968969, 0.4236547993389047], "send_timestamp": 1763880000.123456}""");
    private readonly RequestParser _parser = new(Options.Create(new ContractOptions()));
    private readonly SeedTransformation _fast = new(Options.Create(new TransformationOptions { Mode = TransformationMode.Fast }));
    private readonly SeedTransformation _seedCost = new(Options.Create(new TransformationOptions { Mode = TransformationMode.SeedCost }));
    private readonly ArrayBufferWriter<byte> _reply = new(512);
    private OnnxInferenceEngine _engine = null!;
    private ModelInputs _input = null!;
    private ModelOutputs _output = null!;
    private ModelInputs[] _batchInputs = null!;
    private ModelOutputs[] _batchOutputs = null!;
    private InferenceRequest _request = null!;

    [GlobalSetup]
    public void Setup()
    {
        _engine = new OnnxInferenceEngine(Options.Create(new InferenceOptions { MaxBatchSize = Batch }), NullLogger<OnnxInferenceEngine>.Instance);
        _input = _engine.CreateInputs();
        _input.Get<float>(0).Fill(12854.558924832432f);
        _output = _engine.CreateOutputs();
        _engine.Run(_input, _output);
        _batchInputs = [.. Enumerable.Range(0, Batch).Select(i =>
        {
            ModelInputs inputs = _engine.CreateInputs();
            inputs.Get<float>(0).Fill(i);
            return inputs;
        })];
        _batchOutputs = [.. Enumerable.Range(0, Batch).Select(_ => _engine.CreateOutputs())];
        if (!_parser.TryParse(_body, out InferenceRequest? request, out RejectionReason reason))
        {
            throw new InvalidOperationException($"The benchmark request does not parse: {reason}");
        }

        _request = request!;
    }

    [GlobalCleanup]
    public void Cleanup() => Dispose();

    public void Dispose()
    {
        _request?.Dispose();
        _engine?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Description = "parse + validate")]
    public bool Parse()
    {
        bool parsed = _parser.TryParse(_body, out InferenceRequest? request, out _);
        request?.Dispose();
        return parsed;
    }

    [Benchmark(Description = "transform (Fast, bit-identical)")]
    public double TransformFast() => _fast.Compute(_request.Data);

    [Benchmark(Description = "transform (SeedCost, the seed's loop)")]
    public double TransformSeedCost() => _seedCost.Compute(_request.Data);

    [Benchmark(Description = "inference, 1 item (pooled IoBinding)")]
    public float InferenceSingle()
    {
        _engine.Run(_input, _output);
        return _output.Get<float>(0)[0];
    }

    [Benchmark(Description = "inference, 64 items in one run", OperationsPerInvoke = Batch)]
    public float InferenceBatched()
    {
        _engine.Run(_batchInputs, _batchOutputs);
        return _batchOutputs[^1].Get<float>(0)[0];
    }

    [Benchmark(Description = "write reply JSON")]
    public int WriteReply()
    {
        _reply.ResetWrittenCount();
        ReplyWriter.Write(_reply, _request, 1763880000.5, 1763880003.5, 12854.558924832432, _output);
        return _reply.WrittenCount;
    }
}
