using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime.Tensors;
using QueueInference.Pipeline.Contract;
using QueueInference.Pipeline.Inference;
using QueueInference.Pipeline.Tests.Support;

namespace QueueInference.Pipeline.Tests.Inference;

/// <summary>
/// make_model.py's typed-echo model: one [batch, 2] input per element type and a [batch, sequence]
/// int64 input, each with an output computed from it (f32 * 2, f64 + 0.5, i64 * 3, i32 - 7, not flag, tokens + 1).
/// </summary>
public sealed class TypedSignatureTests
{
    private static OnnxInferenceEngine CreateEngine(string? replyOutputs = null, int maxBatchSize = 64) =>
        new(Options.Create(new InferenceOptions { ModelPath = GeneratedModels.TypedEcho, ReplyOutputs = replyOutputs, MaxBatchSize = maxBatchSize }), NullLogger<OnnxInferenceEngine>.Instance);

    /// <summary>Item <paramref name="n"/>: values derived from n, and n + 1 tokens.</summary>
    private static ModelInputs Item(OnnxInferenceEngine engine, int n)
    {
        ModelInputs inputs = engine.CreateInputs();
        inputs.SetDimension("sequence", n + 1);
        inputs.Get<float>("f32")[0] = n + 0.25f;
        inputs.Get<float>("f32")[1] = -n;
        inputs.Get<double>("f64")[0] = n / 3.0;
        inputs.Get<double>("f64")[1] = 1e300;
        inputs.Get<long>("i64")[0] = n * 1_000_000_000_000L;
        inputs.Get<long>("i64")[1] = -n;
        inputs.Get<int>("i32")[0] = n;
        inputs.Get<int>("i32")[1] = int.MaxValue;
        inputs.Get<bool>("flag")[0] = n % 2 == 0;
        Span<long> tokens = inputs.Get<long>("tokens");
        for (int i = 0; i < tokens.Length; i++)
        {
            tokens[i] = 10 * n + i;
        }

        return inputs;
    }

    private static void AssertOutputs(int n, ModelOutputs outputs)
    {
        Assert.Equal([(n + 0.25f) * 2, -n * 2f], outputs.Get<float>("f32_out").ToArray());
        Assert.Equal([(n / 3.0) + 0.5, 1e300 + 0.5], outputs.Get<double>("f64_out").ToArray());
        Assert.Equal([n * 3_000_000_000_000L, -3L * n], outputs.Get<long>("i64_out").ToArray());
        Assert.Equal([n - 7, int.MaxValue - 7], outputs.Get<int>("i32_out").ToArray());
        Assert.Equal([n % 2 != 0, true], outputs.Get<bool>("flag_out").ToArray());
        Assert.Equal(Enumerable.Range(0, n + 1).Select(i => 10L * n + i + 1), outputs.Get<long>("tokens_out").ToArray());
        Assert.Equal([1, n + 1], outputs.Shape(outputs.Signature.IndexOfOutput("tokens_out")).ToArray());
        Assert.Equal([1, 2], outputs.Shape(outputs.Signature.IndexOfOutput("i32_out")).ToArray());
    }

    [Fact]
    public void Signature_TypedModel_ReadsEveryElementTypeAndTheSequenceDimension()
    {
        // Act
        using OnnxInferenceEngine engine = CreateEngine();
        ModelSignature signature = engine.Signature;

        // Assert
        Assert.Equal(
            [TensorElementType.Float, TensorElementType.Double, TensorElementType.Int64, TensorElementType.Int32, TensorElementType.Bool, TensorElementType.Int64],
            signature.Inputs.Select(i => i.ElementType));
        Assert.Equal([typeof(float), typeof(double), typeof(long), typeof(int), typeof(bool), typeof(long)], signature.Inputs.Select(i => i.ElementClrType));
        Assert.Equal(["f32_out", "f64_out", "i64_out", "i32_out", "flag_out", "tokens_out"], signature.Outputs.Select(o => o.Name));
        Assert.True(signature.HasBatchDimension);
        Assert.Equal(["sequence"], signature.SymbolicDimensions);
        Assert.False(signature.Inputs[^1].IsFixed);
        Assert.Equal(2, signature.Inputs[0].ItemLength);
    }

    [Fact]
    public void Run_OneItemOfEachElementType_ComputesEachOutputExactly()
    {
        // Arrange
        using OnnxInferenceEngine engine = CreateEngine();
        ModelInputs inputs = Item(engine, 3);
        ModelOutputs outputs = engine.CreateOutputs();

        // Act
        engine.Run(inputs, outputs);

        // Assert
        AssertOutputs(3, outputs);
    }

    [Fact]
    public void Run_BatchOfDifferentSequenceLengths_PadsPerBatchAndTrimsEachItemsOutputs()
    {
        // Arrange: items with 1, 5, 2 and 4 tokens share a run padded to 5.
        using OnnxInferenceEngine engine = CreateEngine();
        int[] items = [0, 4, 1, 3];
        ModelInputs[] inputs = [.. items.Select(n => Item(engine, n))];
        ModelOutputs[] batched = [.. items.Select(_ => engine.CreateOutputs())];

        // Act
        engine.Run(inputs, batched);

        // Assert
        for (int i = 0; i < items.Length; i++)
        {
            AssertOutputs(items[i], batched[i]);
        }
    }

    [Fact]
    public void Run_SameItemsAlone_EqualTheirBatchedOutputs()
    {
        // Arrange
        using OnnxInferenceEngine engine = CreateEngine();
        ModelInputs[] inputs = [.. Enumerable.Range(0, 6).Select(n => Item(engine, n))];
        ModelOutputs[] batched = [.. inputs.Select(_ => engine.CreateOutputs())];
        ModelOutputs[] alone = [.. inputs.Select(_ => engine.CreateOutputs())];

        // Act
        engine.Run(inputs, batched);
        for (int i = 0; i < inputs.Length; i++)
        {
            engine.Run(inputs[i], alone[i]);
        }

        // Assert
        for (int i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(Reply(alone[i]), Reply(batched[i]));
        }
    }

    [Fact]
    public void Write_EveryElementType_ModelOutputIsAnObjectOfNestedListsInPythonsForm()
    {
        // Arrange
        using OnnxInferenceEngine engine = CreateEngine();
        ModelOutputs outputs = engine.CreateOutputs();
        engine.Run(Item(engine, 2), outputs);

        // Act
        string reply = Reply(outputs);

        // Assert
        Assert.Contains(
            "\"model_output\":{\"f32_out\":[[4.5,-4.0]],\"f64_out\":[[1.1666666666666665,1e+300]],\"i64_out\":[[6000000000000,-6]],\"i32_out\":[[-5,2147483640]],\"flag_out\":[[false,true]],\"tokens_out\":[[21,22,23]]}",
            reply,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Get_WrongElementType_ThrowsNamingTheRightOne()
    {
        // Arrange
        using OnnxInferenceEngine engine = CreateEngine();
        ModelInputs inputs = engine.CreateInputs();

        // Act
        var error = Assert.Throws<InvalidOperationException>(() => inputs.Get<float>("i64"));

        // Assert
        Assert.Contains("Get<long>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_SymbolicInputBeforeItsDimension_ThrowsNamingTheDimension()
    {
        // Arrange
        using OnnxInferenceEngine engine = CreateEngine();
        ModelInputs inputs = engine.CreateInputs();

        // Act
        var error = Assert.Throws<InvalidOperationException>(() => inputs.Get<long>("tokens"));

        // Assert
        Assert.Contains("'sequence'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SetDimension_AfterFillingAnInputThatHasIt_Throws()
    {
        // Arrange
        using OnnxInferenceEngine engine = CreateEngine();
        ModelInputs inputs = engine.CreateInputs();
        inputs.SetDimension("sequence", 2);
        inputs.Get<long>("tokens");

        // Act + Assert
        Assert.Throws<InvalidOperationException>(() => inputs.SetDimension("sequence", 3));
        Assert.Throws<ArgumentException>(() => inputs.SetDimension("length", 3));
    }

    [Fact]
    public void Run_InputsLeftUnfilled_RunAsZeros()
    {
        // Arrange: only the sequence length is set; every input stays zero.
        using OnnxInferenceEngine engine = CreateEngine();
        ModelInputs inputs = engine.CreateInputs();
        inputs.SetDimension("sequence", 2);
        ModelOutputs outputs = engine.CreateOutputs();

        // Act
        engine.Run(inputs, outputs);

        // Assert
        Assert.Equal([0f, 0f], outputs.Get<float>("f32_out").ToArray());
        Assert.Equal([-7, -7], outputs.Get<int>("i32_out").ToArray());
        Assert.Equal([true, true], outputs.Get<bool>("flag_out").ToArray());
        Assert.Equal([1L, 1L], outputs.Get<long>("tokens_out").ToArray());
    }

    [Fact]
    public void ReplyOutputs_OneName_OnlyThatOutputAsNestedLists()
    {
        // Arrange
        using OnnxInferenceEngine engine = CreateEngine(replyOutputs: "i32_out");
        ModelOutputs outputs = engine.CreateOutputs();

        // Act
        engine.Run(Item(engine, 1), outputs);

        // Assert
        Assert.Equal("i32_out", Assert.Single(engine.Signature.Outputs).Name);
        Assert.EndsWith("\"model_output\":[[-6,2147483640]]}}", Reply(outputs), StringComparison.Ordinal);
    }

    [Fact]
    public void ReplyOutputs_SeveralNames_ThoseOutputsInThatOrder()
    {
        // Arrange
        using OnnxInferenceEngine engine = CreateEngine(replyOutputs: " tokens_out, flag_out ");
        ModelOutputs outputs = engine.CreateOutputs();

        // Act
        engine.Run(Item(engine, 1), outputs);

        // Assert
        Assert.EndsWith("\"model_output\":{\"tokens_out\":[[11,12]],\"flag_out\":[[true,true]]}}}", Reply(outputs), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("logits", "has no output named 'logits'")]
    [InlineData("f32_out,f32_out", "names 'f32_out' twice")]
    public void ReplyOutputs_UnknownOrRepeatedName_StopsTheLoad(string replyOutputs, string message)
    {
        // Act
        var error = Assert.Throws<QueueInference.Pipeline.Configuration.InvalidSettingException>(() => CreateEngine(replyOutputs: replyOutputs));

        // Assert
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    private static string Reply(ModelOutputs outputs)
    {
        using InferenceRequest request = Requests.Parse("m", 1.0);
        var buffer = new ArrayBufferWriter<byte>();
        ReplyWriter.Write(buffer, request, 1, 2, 3, outputs);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
