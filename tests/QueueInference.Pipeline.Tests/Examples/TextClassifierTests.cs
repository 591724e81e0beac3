using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using QueueInference.Pipeline.Contract;
using QueueInference.Pipeline.Inference;
using QueueInference.Pipeline.Stages;
using QueueInference.Pipeline.Tests.Support;

namespace QueueInference.Pipeline.Tests.Examples;

/// <summary>The README's text-style example: <see cref="TokenIdsTransformation"/> on make_model.py's text-classifier, in real ONNX Runtime.</summary>
public sealed class TextClassifierTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly double[][] Texts = [[17, 4, 999], [5], [300, 301, 302, 303, 304, 305, 306], [], [0, 0, 1]];

    private static OnnxInferenceEngine CreateEngine(string? replyOutputs = null) =>
        new(Options.Create(new InferenceOptions { ModelPath = GeneratedModels.TextClassifier, ReplyOutputs = replyOutputs }), NullLogger<OnnxInferenceEngine>.Instance);

    [Fact]
    public void Signature_TextModel_TwoInt64InputsSharingTheSequenceDimension()
    {
        // Act
        using OnnxInferenceEngine engine = CreateEngine();

        // Assert
        Assert.Equal("input_ids int64 [batch x sequence], attention_mask int64 [batch x sequence]", string.Join(", ", engine.Signature.Inputs));
        Assert.Equal("logits float32 [batch x 3], probabilities float32 [batch x 3]", string.Join(", ", engine.Signature.Outputs));
        Assert.Equal(["sequence"], engine.Signature.SymbolicDimensions);
        new TokenIdsTransformation().Validate(engine.Signature);
    }

    [Fact]
    public void Run_TextsOfDifferentLengthsInOneBatch_SameOutputsAsEachAlone()
    {
        // Arrange: the batch is padded to 7 tokens; the padding's mask is 0, so it must change nothing.
        using OnnxInferenceEngine engine = CreateEngine();
        var transformation = new TokenIdsTransformation();
        ModelInputs[] inputs = [.. Texts.Select(text =>
        {
            using InferenceRequest request = Requests.Parse("t", text);
            ModelInputs item = engine.CreateInputs();
            Assert.Equal(text.Length, transformation.Transform(request, item));
            return item;
        })];
        ModelOutputs[] batched = [.. Texts.Select(_ => engine.CreateOutputs())];
        ModelOutputs[] alone = [.. Texts.Select(_ => engine.CreateOutputs())];

        // Act
        engine.Run(inputs, batched);
        for (int i = 0; i < inputs.Length; i++)
        {
            engine.Run(inputs[i], alone[i]);
        }

        // Assert: padding that was not zeros (mask 0) would move the pooled mean by whole embeddings; what is
        // left is rounding, as ONNX Runtime's matrix kernels for one row and for several sum in different orders.
        for (int i = 0; i < inputs.Length; i++)
        {
            AssertClose(alone[i].Get<float>("logits"), batched[i].Get<float>("logits"));
            AssertClose(alone[i].Get<float>("probabilities"), batched[i].Get<float>("probabilities"));
        }

        Assert.NotEqual(batched[0].Get<float>("logits").ToArray(), batched[1].Get<float>("logits").ToArray());
    }

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f * Math.Max(1f, Math.Abs(expected[i])), $"element {i}: {expected[i]} alone, {actual[i]} batched");
        }
    }

    [Fact]
    public async Task ComposeAsync_TextRequestsWithReplyOutputsProbabilities_ReplyCarriesOnlyTheProbabilities()
    {
        // Arrange
        using var lane = new ComputeLane(GeneratedModels.TextClassifier, new TokenIdsTransformation(), replyOutputs: "probabilities");
        InferenceRequest[] requests = [.. Texts.Select((text, i) => Requests.Parse($"t{i}", text))];
        ArrayBufferWriter<byte>[] replies = [.. requests.Select(_ => new ArrayBufferWriter<byte>())];

        // Act
        await Task.WhenAll(requests.Select((r, i) => lane.Scheduler.ComposeAsync(r, DateTimeOffset.UnixEpoch, replies[i]).AsTask())).WaitAsync(Patience);

        // Assert
        for (int i = 0; i < requests.Length; i++)
        {
            using JsonDocument reply = JsonDocument.Parse(replies[i].WrittenMemory);
            JsonElement result = reply.RootElement.GetProperty("result");
            Assert.Equal(PythonFloat.ToString(Texts[i].Length), result.GetProperty("processed_data").GetString());
            JsonElement probabilities = Assert.Single(result.GetProperty("model_output").EnumerateArray().ToArray());
            double[] values = [.. probabilities.EnumerateArray().Select(p => p.GetDouble())];
            Assert.Equal(3, values.Length);
            Assert.Equal(1.0, values.Sum(), 5);
            requests[i].Dispose();
        }
    }

    [Fact]
    public async Task ComposeAsync_ReadmeExample_RepliesWhatTheReadmeShows()
    {
        // Arrange
        using var lane = new ComputeLane(GeneratedModels.TextClassifier, new TokenIdsTransformation(), replyOutputs: "probabilities");
        using InferenceRequest request = Requests.Parse("""{"message_id": "m", "data": [17, 4, 999]}""");
        var reply = new ArrayBufferWriter<byte>();

        // Act
        await lane.Scheduler.ComposeAsync(request, DateTimeOffset.UnixEpoch, reply).AsTask().WaitAsync(Patience);

        // Assert: README, "Extension points": "processed_data": "3.0", "model_output": [[0.1736…, 0.4005…, 0.4258…]].
        using JsonDocument document = JsonDocument.Parse(reply.WrittenMemory);
        JsonElement result = document.RootElement.GetProperty("result");
        Assert.Equal("3.0", result.GetProperty("processed_data").GetString());
        double[] probabilities = [.. result.GetProperty("model_output")[0].EnumerateArray().Select(p => p.GetDouble())];
        Assert.Equal([0.1736, 0.4005, 0.4258], probabilities.Select(p => Math.Floor(p * 10_000) / 10_000));
    }

    [Fact]
    public void Validate_TransformationsAndModelsThatDoNotFit_RefuseAtStart()
    {
        // Arrange
        using OnnxInferenceEngine text = CreateEngine();
        using var seedModel = new OnnxInferenceEngine(Options.Create(new InferenceOptions()), NullLogger<OnnxInferenceEngine>.Instance);

        // Act
        var seedOnText = Assert.Throws<InvalidOperationException>(() => new SeedTransformation(Options.Create(new TransformationOptions())).Validate(text.Signature));
        var tokensOnSeed = Assert.Throws<InvalidOperationException>(() => new TokenIdsTransformation().Validate(seedModel.Signature));

        // Assert
        Assert.Contains("Register an ITransformation", seedOnText.Message, StringComparison.Ordinal);
        Assert.Contains("input_ids", tokensOnSeed.Message, StringComparison.Ordinal);
    }
}
