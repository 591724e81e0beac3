using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace QueueInference.Pipeline.Inference;

/// <summary>
/// The model's inputs (what a transformation fills), the outputs the reply carries, and how items
/// are batched, read from the model's metadata.
/// </summary>
/// <remarks>
/// A model batches when the first dimension of every input and of every reply output is symbolic:
/// that dimension is the batch dimension. Any other symbolic input dimension (a sequence length, say)
/// is set per item by the transformation (<see cref="ModelInputs.SetDimension"/>); a batch is padded
/// with zeros to its longest item. Symbolic dimensions are known by name, so inputs that share one
/// (token ids and their attention mask) are padded alike, and an output dimension of the same name is
/// cut back to each item's own length in its reply.
/// </remarks>
public sealed class ModelSignature
{
    private ModelSignature(IReadOnlyList<ModelTensor> inputs, IReadOnlyList<ModelTensor> outputs, bool batched, IReadOnlyList<string> symbolicDimensions)
    {
        Inputs = inputs;
        Outputs = outputs;
        HasBatchDimension = batched;
        SymbolicDimensions = symbolicDimensions;
        IsStatic = inputs.All(i => i.IsFixed) && outputs.All(o => o.IsFixed);
    }

    /// <summary>The model's inputs, in the model's order.</summary>
    public IReadOnlyList<ModelTensor> Inputs { get; }

    /// <summary>The outputs that go into the reply, in reply order (Inference:ReplyOutputs).</summary>
    public IReadOnlyList<ModelTensor> Outputs { get; }

    /// <summary>Whether requests can share one run over the first dimension.</summary>
    public bool HasBatchDimension { get; }

    /// <summary>The symbolic input dimensions, other than the batch one, that each item sets.</summary>
    public IReadOnlyList<string> SymbolicDimensions { get; }

    /// <summary>Every item has the same fixed shape: runs reuse buffers bound once and allocate nothing.</summary>
    internal bool IsStatic { get; }

    /// <summary>The position of input <paramref name="name"/>, or -1.</summary>
    /// <summary>One float32 input of fixed size per item: what the seed and features transformations fill.</summary>
    public bool HasOneFixedFloatInput => Inputs.Count == 1 && Inputs[0].ElementType == TensorElementType.Float && Inputs[0].IsFixed;

    public int IndexOfInput(string name) => IndexOf(Inputs, name);

    /// <summary>The position of reply output <paramref name="name"/>, or -1.</summary>
    public int IndexOfOutput(string name) => IndexOf(Outputs, name);

    public override string ToString() =>
        $"inputs {string.Join(", ", Inputs)}; reply outputs {string.Join(", ", Outputs)}; batch dimension {HasBatchDimension}";

    internal static ModelSignature Read(InferenceSession session, InferenceOptions options, string modelPath)
    {
        string[] replyOutputs = options.ReplyOutputNames;
        string? duplicate = replyOutputs.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Inference:ReplyOutputs names '{duplicate}' twice.");
        }

        foreach (string name in replyOutputs)
        {
            if (!session.OutputMetadata.ContainsKey(name))
            {
                throw new InvalidOperationException($"Model '{modelPath}' has no output named '{name}' (Inference:ReplyOutputs); it has: {string.Join(", ", session.OutputNames)}.");
            }
        }

        IReadOnlyList<string> outputNames = replyOutputs.Length > 0 ? replyOutputs : session.OutputNames;
        var inputs = session.InputNames.Select(name => (Name: name, Metadata: Check(name, session.InputMetadata[name], "input", modelPath))).ToList();
        var outputs = outputNames.Select(name => (Name: name, Metadata: Check(name, session.OutputMetadata[name], "output", modelPath))).ToList();
        if (inputs.Count == 0)
        {
            throw new InvalidOperationException($"Model '{modelPath}' has no inputs.");
        }

        bool batched = inputs.Concat(outputs).All(t => t.Metadata.Dimensions.Length > 0 && t.Metadata.Dimensions[0] < 0);
        var symbolic = new List<string>();
        var inputTensors = new List<ModelTensor>();
        foreach ((string name, NodeMetadata metadata) in inputs)
        {
            string[] names = DimensionNames(name, metadata);
            int first = batched ? 1 : 0;
            int[] symbols = new int[metadata.Dimensions.Length - first];
            for (int i = first; i < metadata.Dimensions.Length; i++)
            {
                symbols[i - first] = -1;
                if (metadata.Dimensions[i] < 0)
                {
                    if (!symbolic.Contains(names[i]))
                    {
                        symbolic.Add(names[i]);
                    }

                    symbols[i - first] = symbolic.IndexOf(names[i]);
                }
            }

            inputTensors.Add(new ModelTensor(name, metadata.ElementDataType, ToLong(metadata.Dimensions), names, batched, symbols));
        }

        var outputTensors = new List<ModelTensor>();
        foreach ((string name, NodeMetadata metadata) in outputs)
        {
            string[] names = DimensionNames(name, metadata);
            int first = batched ? 1 : 0;
            int[] symbols = [.. Enumerable.Range(first, metadata.Dimensions.Length - first).Select(i => metadata.Dimensions[i] < 0 ? symbolic.IndexOf(names[i]) : -1)];
            outputTensors.Add(new ModelTensor(name, metadata.ElementDataType, ToLong(metadata.Dimensions), names, batched, symbols));
        }

        return new ModelSignature(inputTensors, outputTensors, batched, symbolic);
    }

    private static NodeMetadata Check(string name, NodeMetadata metadata, string kind, string modelPath) =>
        metadata.IsTensor && ElementTypes.IsSupported(metadata.ElementDataType)
            ? metadata
            : throw new InvalidOperationException(
                $"Model '{modelPath}': {kind} '{name}' is {(metadata.IsTensor ? ElementTypes.Describe(metadata.ElementDataType) : metadata.OnnxValueType.ToString())}; supported are tensors of float32, float64, int64, int32 and bool.");

    /// <summary>Each dimension's symbolic name; an unnamed symbolic dimension is called "input:position".</summary>
    private static string[] DimensionNames(string tensor, NodeMetadata metadata)
    {
        string[] declared = metadata.SymbolicDimensions ?? [];
        return
        [
            .. metadata.Dimensions.Select((d, i) => d >= 0 ? string.Empty
                : i < declared.Length && !string.IsNullOrEmpty(declared[i]) ? declared[i]
                : $"{tensor}:{i}"),
        ];
    }

    private static long[] ToLong(int[] dimensions) => Array.ConvertAll(dimensions, d => (long)d);

    private static int IndexOf(IReadOnlyList<ModelTensor> tensors, string name)
    {
        for (int i = 0; i < tensors.Count; i++)
        {
            if (string.Equals(tensors[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
