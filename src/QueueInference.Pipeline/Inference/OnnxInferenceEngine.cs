using Microsoft.Extensions.Logging;
using Microsoft.Extensions.ObjectPool;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using QueueInference.Pipeline.Configuration;

namespace QueueInference.Pipeline.Inference;

/// <summary>
/// One shared <see cref="InferenceSession"/> (its Run is thread-safe) with pooled per-run buffers.
/// The session is created once at start, so a model that does not load stops the host. A run takes
/// one item, or (for a model with a batch dimension) up to <see cref="MaxBatchSize"/> items at once.
/// </summary>
public sealed partial class OnnxInferenceEngine : IDisposable
{
    private readonly InferenceSession _session;
    private readonly ObjectPool<InferenceSlot> _slots;

    public OnnxInferenceEngine(IOptions<InferenceOptions> options, ILogger<OnnxInferenceEngine> logger)
    {
        InferenceOptions settings = options.Value;
        ModelPath = settings.FullModelPath;
        if (!File.Exists(ModelPath))
        {
            throw new InvalidSettingException("Inference:ModelPath", settings.ModelPath, ModelFileValidation.NoSuchFile(ModelPath));
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
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InvalidSettingException("Inference:ModelPath", settings.ModelPath, $"not a model ONNX Runtime can load ({ModelPath}): {OneLine(ex.Message)}", ex);
        }

        try
        {
            Signature = ModelSignature.Read(_session, settings, ModelPath);
        }
        catch (InvalidOperationException ex)
        {
            // The model loads but does not fit (input/output names, types, shapes).
            _session.Dispose();
            throw new InvalidSettingException("Inference:ModelPath", settings.ModelPath, OneLine(ex.Message), ex);
        }
        catch
        {
            _session.Dispose();
            throw;
        }

        MaxBatchSize = Signature.HasBatchDimension ? settings.MaxBatchSize : 1;
        int retained = settings.PoolSize > 0 ? settings.PoolSize : 4 * Environment.ProcessorCount;
        _slots = new DefaultObjectPoolProvider { MaximumRetained = retained }.Create(new SlotPolicy(_session, Signature, MaxBatchSize));
        LogLoaded(logger, ModelPath, string.Join(", ", Signature.Inputs), string.Join(", ", Signature.Outputs), Signature.HasBatchDimension, MaxBatchSize, threads);
    }

    public string ModelPath { get; }

    public ModelSignature Signature { get; }

    /// <summary>Most items one run takes: Inference:MaxBatchSize for a model with a batch dimension, otherwise 1.</summary>
    public int MaxBatchSize { get; }

    /// <summary>A set of per-item input buffers for this model, for a transformation to fill.</summary>
    public ModelInputs CreateInputs() => new(Signature);

    /// <summary>A set of per-item output buffers for this model, for <see cref="Run(ReadOnlySpan{ModelInputs}, ReadOnlySpan{ModelOutputs})"/> to fill.</summary>
    public ModelOutputs CreateOutputs() => new(Signature);

    /// <summary>Runs the model on one item.</summary>
    public void Run(ModelInputs inputs, ModelOutputs outputs) => Run(new ReadOnlySpan<ModelInputs>(in inputs), new ReadOnlySpan<ModelOutputs>(in outputs));

    /// <summary>
    /// Runs the model once on <paramref name="inputs"/> (at most <see cref="MaxBatchSize"/> items) over
    /// the batch dimension and fills each item's <paramref name="outputs"/>. Items whose symbolic
    /// dimensions differ are padded with zeros to the longest; outputs with a dimension of the same name
    /// are cut back to each item's own length.
    /// </summary>
    public void Run(ReadOnlySpan<ModelInputs> inputs, ReadOnlySpan<ModelOutputs> outputs)
    {
        int count = inputs.Length;
        if (count == 0)
        {
            return;
        }

        if (count > MaxBatchSize || outputs.Length != count)
        {
            throw new ArgumentException(
                $"A run takes 1 to {MaxBatchSize} items{(Signature.HasBatchDimension ? string.Empty : " (the model has no batch dimension)")} and one output set per item; got {count} and {outputs.Length}.",
                nameof(inputs));
        }

        foreach (ModelInputs item in inputs)
        {
            item.Complete();
        }

        InferenceSlot slot = _slots.Get();
        try
        {
            if (Signature.IsStatic)
            {
                RunFixedShapes(slot, inputs, outputs);
            }
            else
            {
                RunSymbolicShapes(slot, inputs, outputs);
            }
        }
        finally
        {
            _slots.Return(slot);
        }
    }

    public void Dispose()
    {
        (_slots as IDisposable)?.Dispose();
        _session.Dispose();
    }

    /// <summary>One item, then (for a model with a batch dimension) a full batch, of zeros: sizes ONNX Runtime's buffers and ours.</summary>
    internal void WarmUp()
    {
        ModelInputs inputs = CreateInputs();
        foreach (string dimension in Signature.SymbolicDimensions)
        {
            inputs.SetDimension(dimension, 1);
        }

        ModelOutputs outputs = CreateOutputs();
        Run(inputs, outputs);
        if (MaxBatchSize > 1)
        {
            ModelInputs[] batch = [.. Enumerable.Repeat(inputs, MaxBatchSize)];
            Run(batch, [.. Enumerable.Range(0, MaxBatchSize).Select(_ => CreateOutputs())]);
        }
    }

    /// <summary>Copies items into the buffers bound once for this batch size, runs, copies results out: no allocation.</summary>
    private void RunFixedShapes(InferenceSlot slot, ReadOnlySpan<ModelInputs> inputs, ReadOnlySpan<ModelOutputs> outputs)
    {
        int count = inputs.Length;
        for (int k = 0; k < Signature.Inputs.Count; k++)
        {
            ModelTensor tensor = Signature.Inputs[k];
            int itemBytes = tensor.ItemLength * tensor.ElementSize;
            Span<byte> batch = slot.Input(k).Span(count * itemBytes);
            for (int i = 0; i < count; i++)
            {
                inputs[i].Bytes(k).CopyTo(batch.Slice(i * itemBytes, itemBytes));
            }
        }

        // Run, not RunAsync: RunAsync needs an intra-op thread pool and throws with one thread.
        _session.RunWithBinding(slot.RunOptions, slot.Bound(count));
        for (int k = 0; k < Signature.Outputs.Count; k++)
        {
            ModelTensor tensor = Signature.Outputs[k];
            int itemBytes = tensor.ItemLength * tensor.ElementSize;
            ReadOnlySpan<byte> batch = slot.Output(k).Span(count * itemBytes);
            for (int i = 0; i < count; i++)
            {
                batch.Slice(i * itemBytes, itemBytes).CopyTo(outputs[i].FixedBuffer(k));
            }
        }
    }

    /// <summary>
    /// Pads items to the batch's longest along each symbolic dimension, binds this run's shapes, lets
    /// ONNX Runtime allocate outputs whose size the run decides, and trims them per item.
    /// </summary>
    private void RunSymbolicShapes(InferenceSlot slot, ReadOnlySpan<ModelInputs> inputs, ReadOnlySpan<ModelOutputs> outputs)
    {
        int count = inputs.Length;
        int[] longest = new int[Signature.SymbolicDimensions.Count];
        foreach (ModelInputs item in inputs)
        {
            for (int s = 0; s < longest.Length; s++)
            {
                longest[s] = Math.Max(longest[s], item.Dimension(s));
            }
        }

        var values = new List<OrtValue>(Signature.Inputs.Count);
        using OrtIoBinding binding = _session.CreateIoBinding();
        try
        {
            for (int k = 0; k < Signature.Inputs.Count; k++)
            {
                ModelTensor tensor = Signature.Inputs[k];
                int[] padded = tensor.ItemDimensions.ToArray();
                for (int d = 0; d < padded.Length; d++)
                {
                    if (tensor.ItemSymbols[d] >= 0)
                    {
                        padded[d] = longest[tensor.ItemSymbols[d]];
                    }
                }

                int itemBytes = checked(TensorLayout.Length(padded) * tensor.ElementSize);
                PinnedBuffer buffer = slot.Input(k);
                buffer.EnsureCapacity(checked(count * itemBytes));
                Span<byte> batch = buffer.Span(count * itemBytes);
                batch.Clear();
                for (int i = 0; i < count; i++)
                {
                    TensorLayout.CopyBlock(inputs[i].Bytes(k), inputs[i].Shape(k), batch.Slice(i * itemBytes, itemBytes), padded, tensor.ElementSize);
                }

                long[] shape = tensor.IsBatched ? [count, .. padded.Select(d => (long)d)] : [.. padded.Select(d => (long)d)];
                OrtValue value = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, tensor.ElementType, shape, buffer.Address, (long)count * itemBytes);
                values.Add(value);
                binding.BindInput(tensor.Name, value);
            }

            foreach (ModelTensor output in Signature.Outputs)
            {
                binding.BindOutputToDevice(output.Name, OrtMemoryInfo.DefaultInstance);
            }

            _session.RunWithBinding(slot.RunOptions, binding);
            using IDisposableReadOnlyCollection<OrtValue> results = binding.GetOutputValues();
            for (int k = 0; k < Signature.Outputs.Count; k++)
            {
                SplitOutput(k, results[k], inputs, outputs);
            }
        }
        finally
        {
            foreach (OrtValue value in values)
            {
                value.Dispose();
            }
        }
    }

    private void SplitOutput(int output, OrtValue result, ReadOnlySpan<ModelInputs> inputs, ReadOnlySpan<ModelOutputs> outputs)
    {
        ModelTensor tensor = Signature.Outputs[output];
        long[] shape = result.GetTensorTypeAndShape().Shape;
        int lead = tensor.IsBatched ? 1 : 0;
        if (shape.Length != tensor.Dimensions.Count || (tensor.IsBatched && shape[0] != inputs.Length))
        {
            throw new InvalidOperationException(
                $"Model '{ModelPath}' returned output '{tensor.Name}' with shape [{string.Join('x', shape)}] for {inputs.Length} item(s); its metadata declares {tensor}.");
        }

        int[] padded = [.. shape.Skip(lead).Select(d => checked((int)d))];
        int itemBytes = checked(TensorLayout.Length(padded) * tensor.ElementSize);
        ReadOnlySpan<byte> data = result.GetTensorMutableRawData();
        Span<int> itemShape = stackalloc int[padded.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            padded.CopyTo(itemShape);
            for (int d = 0; d < itemShape.Length; d++)
            {
                int symbol = tensor.ItemSymbols[d];
                if (symbol >= 0 && inputs[i].Dimension(symbol) < itemShape[d])
                {
                    itemShape[d] = inputs[i].Dimension(symbol);
                }
            }

            Span<byte> destination = outputs[i].Resize(output, itemShape);
            TensorLayout.CopyBlock(data.Slice(i * itemBytes, itemBytes), padded, destination, itemShape, tensor.ElementSize);
        }
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {ModelPath} loaded: inputs {Inputs}; reply outputs {Outputs}; batch dimension {Batches} (up to {MaxBatchSize} per run), {Threads} intra-op thread(s)")]
    private static partial void LogLoaded(ILogger logger, string modelPath, string inputs, string outputs, bool batches, int maxBatchSize, int threads);

    private sealed class SlotPolicy(InferenceSession session, ModelSignature signature, int maxBatchSize) : PooledObjectPolicy<InferenceSlot>
    {
        public override InferenceSlot Create() => new(session, signature, maxBatchSize);

        public override bool Return(InferenceSlot obj) => true;
    }
}
