using Microsoft.ML.OnnxRuntime;

namespace QueueInference.Pipeline.Inference;

/// <summary>
/// Per-call state for one single-item run: pinned input and output buffers, the OrtValues over
/// them bound once to an IoBinding, and a RunOptions, reused through a pool so steady-state
/// inference allocates nothing (Run with name lists marshals the names on every call).
/// </summary>
internal sealed class InferenceSlot : IDisposable
{
    private readonly OrtValue _inputValue;
    private readonly OrtValue _outputValue;

    public InferenceSlot(InferenceSession session, ModelSignature signature)
    {
        Input = new float[signature.InputLength];
        Output = new float[signature.OutputLength];
        _inputValue = OrtValue.CreateTensorValueFromMemory(Input, signature.InputShape);
        _outputValue = OrtValue.CreateTensorValueFromMemory(Output, signature.OutputShape);
        Binding = session.CreateIoBinding();
        Binding.BindInput(signature.InputName, _inputValue);
        Binding.BindOutput(signature.OutputName, _outputValue);
    }

    public OrtIoBinding Binding { get; }

    public float[] Input { get; }

    public float[] Output { get; }

    public RunOptions RunOptions { get; } = new();

    public void Dispose()
    {
        Binding.Dispose();
        _inputValue.Dispose();
        _outputValue.Dispose();
        RunOptions.Dispose();
    }
}
