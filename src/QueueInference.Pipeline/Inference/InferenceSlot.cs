using Microsoft.ML.OnnxRuntime;

namespace QueueInference.Pipeline.Inference;

/// <summary>
/// Per-call state for one single-item run: pinned input and output buffers, the OrtValues over
/// them and a RunOptions, reused through a pool so steady-state inference allocates nothing.
/// </summary>
internal sealed class InferenceSlot : IDisposable
{
    public InferenceSlot(ModelSignature signature)
    {
        Input = new float[signature.InputLength];
        Output = new float[signature.OutputLength];
        Inputs = [OrtValue.CreateTensorValueFromMemory(Input, signature.InputShape)];
        Outputs = [OrtValue.CreateTensorValueFromMemory(Output, signature.OutputShape)];
    }

    public float[] Input { get; }

    public float[] Output { get; }

    public OrtValue[] Inputs { get; }

    public OrtValue[] Outputs { get; }

    public RunOptions RunOptions { get; } = new();

    public void Dispose()
    {
        Inputs[0].Dispose();
        Outputs[0].Dispose();
        RunOptions.Dispose();
    }
}
