using Microsoft.ML.OnnxRuntime.Tensors;

namespace QueueInference.Pipeline.Inference;

/// <summary>The tensor element types the pipeline fills and replies with, and their .NET counterparts.</summary>
internal static class ElementTypes
{
    public static bool IsSupported(TensorElementType type) => type is
        TensorElementType.Float or TensorElementType.Double or TensorElementType.Int64 or TensorElementType.Int32 or TensorElementType.Bool;

    public static Type ClrType(TensorElementType type) => type switch
    {
        TensorElementType.Float => typeof(float),
        TensorElementType.Double => typeof(double),
        TensorElementType.Int64 => typeof(long),
        TensorElementType.Int32 => typeof(int),
        TensorElementType.Bool => typeof(bool),
        _ => throw new NotSupportedException($"Element type {type} is not supported."),
    };

    public static int Size(TensorElementType type) => type switch
    {
        TensorElementType.Float or TensorElementType.Int32 => 4,
        TensorElementType.Double or TensorElementType.Int64 => 8,
        TensorElementType.Bool => 1,
        _ => throw new NotSupportedException($"Element type {type} is not supported."),
    };

    /// <summary>ONNX's spelling (float32, int64, ...), for messages.</summary>
    public static string Describe(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float32",
        TensorElementType.Double => "float64",
        TensorElementType.Int64 => "int64",
        TensorElementType.Int32 => "int32",
        TensorElementType.Bool => "bool",
        _ => type.ToString(),
    };

    /// <summary>The C# keyword for <paramref name="type"/>'s .NET type, for messages that say which Get&lt;T&gt; to call.</summary>
    public static string Keyword(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float",
        TensorElementType.Double => "double",
        TensorElementType.Int64 => "long",
        TensorElementType.Int32 => "int",
        TensorElementType.Bool => "bool",
        _ => type.ToString(),
    };
}
