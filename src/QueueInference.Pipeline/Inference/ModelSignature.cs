using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace QueueInference.Pipeline.Inference;

/// <summary>The input and output the pipeline uses, with their single-item shapes, read from the model's metadata.</summary>
public sealed record ModelSignature(
    string InputName,
    long[] InputShape,
    string OutputName,
    long[] OutputShape,
    bool HasBatchDimension)
{
    public int InputLength => checked((int)InputShape.Aggregate(1L, (a, b) => a * b));

    public int OutputLength => checked((int)OutputShape.Aggregate(1L, (a, b) => a * b));

    internal static ModelSignature Read(InferenceSession session, InferenceOptions options, string modelPath)
    {
        (string inputName, NodeMetadata input) = Select(session.InputMetadata, options.InputName, "input", modelPath);
        (string outputName, NodeMetadata output) = Select(session.OutputMetadata, options.OutputName, "output", modelPath);
        long[] inputShape = ItemShape(inputName, input, modelPath, out bool inputBatches);
        long[] outputShape = ItemShape(outputName, output, modelPath, out bool outputBatches);
        return new ModelSignature(inputName, inputShape, outputName, outputShape, inputBatches && outputBatches);
    }

    private static (string Name, NodeMetadata Metadata) Select(IReadOnlyDictionary<string, NodeMetadata> nodes, string? wanted, string kind, string modelPath)
    {
        if (!string.IsNullOrEmpty(wanted))
        {
            return nodes.TryGetValue(wanted, out NodeMetadata? metadata)
                ? (wanted, metadata)
                : throw new InvalidOperationException($"Model '{modelPath}' has no {kind} named '{wanted}'; it has: {string.Join(", ", nodes.Keys)}.");
        }

        return nodes.Count == 1
            ? (nodes.Keys.Single(), nodes.Values.Single())
            : throw new InvalidOperationException($"Model '{modelPath}' has {nodes.Count} {kind}s ({string.Join(", ", nodes.Keys)}); set Inference:{(kind == "input" ? "InputName" : "OutputName")}.");
    }

    /// <summary>
    /// The shape of one item: a symbolic first dimension is the batch dimension and becomes 1;
    /// every other dimension must be fixed.
    /// </summary>
    private static long[] ItemShape(string name, NodeMetadata metadata, string modelPath, out bool batches)
    {
        if (!metadata.IsTensor || metadata.ElementDataType != TensorElementType.Float)
        {
            throw new InvalidOperationException($"Model '{modelPath}': '{name}' must be a float32 tensor, not {metadata.ElementDataType}.");
        }

        int[] dimensions = metadata.Dimensions;
        batches = dimensions.Length > 0 && dimensions[0] < 0;
        var shape = new long[dimensions.Length];
        for (int i = 0; i < dimensions.Length; i++)
        {
            if (dimensions[i] < 0 && i > 0)
            {
                throw new InvalidOperationException($"Model '{modelPath}': '{name}' has a symbolic dimension at position {i}; only the first (batch) dimension may be symbolic.");
            }

            shape[i] = dimensions[i] < 0 ? 1 : dimensions[i];
        }

        return shape;
    }
}
