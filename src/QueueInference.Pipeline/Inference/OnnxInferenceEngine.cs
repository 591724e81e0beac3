using System.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.ObjectPool;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;

namespace QueueInference.Pipeline.Inference;

/// <summary>
/// One shared <see cref="InferenceSession"/> (its Run is thread-safe) with pooled per-call
/// buffers. The session is created once at start, so a model that does not load stops the host.
/// </summary>
public sealed partial class OnnxInferenceEngine : IDisposable
{
    private readonly InferenceSession _session;
    private readonly ObjectPool<InferenceSlot> _slots;
    private readonly int[] _outputShape;

    public OnnxInferenceEngine(IOptions<InferenceOptions> options, ILogger<OnnxInferenceEngine> logger)
    {
        InferenceOptions settings = options.Value;
        ModelPath = Path.GetFullPath(settings.ModelPath, AppContext.BaseDirectory);
        if (!File.Exists(ModelPath))
        {
            throw new FileNotFoundException($"Inference:ModelPath '{settings.ModelPath}' does not exist (resolved to '{ModelPath}').", ModelPath);
        }

        int threads = settings.IntraOpThreads > 0 ? settings.IntraOpThreads : Environment.ProcessorCount;
        using var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
        };
        // Spinning threads burn the pod's only CPU while they wait for work.
        sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        sessionOptions.AddSessionConfigEntry("session.inter_op.allow_spinning", "0");

        try
        {
            _session = new InferenceSession(ModelPath, sessionOptions);
            Signature = ModelSignature.Read(_session, settings, ModelPath);
        }
        catch (OnnxRuntimeException ex)
        {
            _session?.Dispose();
            throw new InvalidOperationException($"Inference:ModelPath '{ModelPath}' could not be loaded: {ex.Message}", ex);
        }

        _outputShape = Array.ConvertAll(Signature.OutputShape, d => (int)d);
        int retained = settings.PoolSize > 0 ? settings.PoolSize : 4 * Environment.ProcessorCount;
        _slots = new DefaultObjectPoolProvider { MaximumRetained = retained }.Create(new SlotPolicy(_session, Signature));
        LogLoaded(logger, ModelPath, Signature.InputName, string.Join('x', Signature.InputShape), Signature.OutputName, string.Join('x', Signature.OutputShape), Signature.HasBatchDimension, threads);
    }

    public string ModelPath { get; }

    public ModelSignature Signature { get; }

    /// <summary>The reply's <c>model_output</c> nesting: the output shape of one item.</summary>
    public IReadOnlyList<int> OutputShape => _outputShape;

    /// <summary>The same shape as a span, for the per-message reply writer.</summary>
    internal ReadOnlySpan<int> OutputShapeSpan => _outputShape;

    /// <summary>Runs the model on one item: <paramref name="input"/> has <see cref="ModelSignature.InputLength"/> values.</summary>
    public void Run(ReadOnlySpan<float> input, Span<float> output)
    {
        InferenceSlot slot = _slots.Get();
        try
        {
            input.CopyTo(slot.Input);
            // Run, not RunAsync: RunAsync needs an intra-op thread pool and throws with one thread.
            _session.RunWithBinding(slot.RunOptions, slot.Binding);
            slot.Output.CopyTo(output);
        }
        finally
        {
            _slots.Return(slot);
        }
    }

    /// <summary>
    /// Runs <paramref name="count"/> items in one call, for models with a batch dimension:
    /// <paramref name="inputs"/> holds them back to back, <paramref name="outputs"/> receives them so.
    /// </summary>
    public void RunBatch(ReadOnlySpan<float> inputs, Span<float> outputs, int count)
    {
        if (!Signature.HasBatchDimension)
        {
            throw new InvalidOperationException($"Model '{ModelPath}' has a fixed first dimension and cannot run batches.");
        }

        long[] inputShape = (long[])Signature.InputShape.Clone();
        long[] outputShape = (long[])Signature.OutputShape.Clone();
        inputShape[0] = count;
        outputShape[0] = count;
        float[] input = ArrayPool<float>.Shared.Rent(count * Signature.InputLength);
        float[] output = ArrayPool<float>.Shared.Rent(count * Signature.OutputLength);
        try
        {
            inputs[..(count * Signature.InputLength)].CopyTo(input);
            using OrtValue inputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input.AsMemory(0, count * Signature.InputLength), inputShape);
            using OrtValue outputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, output.AsMemory(0, count * Signature.OutputLength), outputShape);
            using var runOptions = new RunOptions();
            _session.Run(runOptions, [Signature.InputName], [inputValue], [Signature.OutputName], [outputValue]);
            output.AsSpan(0, count * Signature.OutputLength).CopyTo(outputs);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(input);
            ArrayPool<float>.Shared.Return(output);
        }
    }

    public void Dispose()
    {
        (_slots as IDisposable)?.Dispose();
        _session.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {ModelPath} loaded: {InputName} [{InputShape}] -> {OutputName} [{OutputShape}], batch dimension {Batches}, {Threads} intra-op thread(s)")]
    private static partial void LogLoaded(ILogger logger, string modelPath, string inputName, string inputShape, string outputName, string outputShape, bool batches, int threads);

    private sealed class SlotPolicy(InferenceSession session, ModelSignature signature) : PooledObjectPolicy<InferenceSlot>
    {
        public override InferenceSlot Create() => new(session, signature);

        public override bool Return(InferenceSlot obj) => true;
    }
}
