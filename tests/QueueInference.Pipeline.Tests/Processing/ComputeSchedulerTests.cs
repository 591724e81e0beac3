using System.Buffers;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using QueueInference.Pipeline.Contract;
using QueueInference.Pipeline.Stages;
using QueueInference.Pipeline.Tests.Examples;
using QueueInference.Pipeline.Tests.Support;

namespace QueueInference.Pipeline.Tests.Processing;

public sealed class ComputeSchedulerTests
{
    private const string RepoModel = "models/model.onnx";
    private const string SeedModel = "TestData/seed-model.onnx";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static SeedTransformation Seed() => new(Options.Create(new TransformationOptions()));

    [Fact]
    public async Task ComposeAsync_Request_RunsOnAComputeThreadAndResumesOffIt()
    {
        // Arrange
        using var gate = new GatedTransformation(Seed());
        gate.Release();
        using var lane = new ComputeLane(RepoModel, gate);
        using var request = Requests.Parse("m", 3.0, 4.0);

        // Act
        await lane.Scheduler.ComposeAsync(request, DateTimeOffset.UnixEpoch, new ArrayBufferWriter<byte>());
        string? continuationThread = Thread.CurrentThread.Name;

        // Assert
        Assert.Equal(["qi-compute-0"], gate.Threads);
        Assert.NotEqual("qi-compute-0", continuationThread);
    }

    [Fact]
    public async Task ComposeAsync_RequestsQueuedDuringARun_FormTheNextBatchWithoutWaiting()
    {
        // Arrange: the compute thread is held in the first request while ten more queue.
        using var gate = new GatedTransformation(Seed());
        using var lane = new ComputeLane(RepoModel, gate);
        (InferenceRequest Request, ArrayBufferWriter<byte> Reply)[] requests = [.. Enumerable.Range(0, 11).Select(i => (Requests.Parse($"m{i}", i), new ArrayBufferWriter<byte>()))];
        Task first = lane.Scheduler.ComposeAsync(requests[0].Request, DateTimeOffset.UnixEpoch, requests[0].Reply).AsTask();
        gate.WaitUntilHeld();
        Task[] rest = [.. requests.Skip(1).Select(r => lane.Scheduler.ComposeAsync(r.Request, DateTimeOffset.UnixEpoch, r.Reply).AsTask())];

        // Act
        gate.Release();
        await Task.WhenAll([first, .. rest]).WaitAsync(Patience);

        // Assert
        Assert.Equal([1, 10], lane.BatchSizes.All);
        for (int i = 0; i < requests.Length; i++)
        {
            Assert.Contains($"\"model_output\":[[{PythonFloat.ToString((float)Seed().Compute([i]))}]]", Encoding.UTF8.GetString(requests[i].Reply.WrittenSpan), StringComparison.Ordinal);
            requests[i].Request.Dispose();
        }
    }

    [Fact]
    public async Task ComposeAsync_MoreWaitingThanMaxBatchSize_RunsFullBatchesInArrivalOrder()
    {
        // Arrange
        using var gate = new GatedTransformation(Seed());
        using var lane = new ComputeLane(RepoModel, gate, maxBatchSize: 4);
        using var held = Requests.Parse("held", 1.0);
        Task first = lane.Scheduler.ComposeAsync(held, DateTimeOffset.UnixEpoch, new ArrayBufferWriter<byte>()).AsTask();
        gate.WaitUntilHeld();
        InferenceRequest[] waiting = [.. Enumerable.Range(0, 10).Select(i => Requests.Parse($"m{i}", i))];
        Task[] rest = [.. waiting.Select(r => lane.Scheduler.ComposeAsync(r, DateTimeOffset.UnixEpoch, new ArrayBufferWriter<byte>()).AsTask())];

        // Act
        gate.Release();
        await Task.WhenAll([first, .. rest]).WaitAsync(Patience);

        // Assert
        Assert.Equal([1, 4, 4, 2], lane.BatchSizes.All);
        foreach (InferenceRequest request in waiting)
        {
            request.Dispose();
        }
    }

    [Fact]
    public async Task ComposeAsync_NoMaxBatchDelay_RunsALoneRequestWithoutWaitingForAnother()
    {
        // Arrange: a full minute's delay would hold the lone request; the default (zero) must not.
        using var lane = new ComputeLane(RepoModel, Seed(), maxBatchDelay: TimeSpan.Zero);
        using var first = Requests.Parse("first", 1.0);
        using var second = Requests.Parse("second", 2.0);

        // Act
        await lane.Scheduler.ComposeAsync(first, DateTimeOffset.UnixEpoch, new ArrayBufferWriter<byte>()).AsTask().WaitAsync(Patience);
        await lane.Scheduler.ComposeAsync(second, DateTimeOffset.UnixEpoch, new ArrayBufferWriter<byte>()).AsTask().WaitAsync(Patience);

        // Assert
        Assert.Equal([1, 1], lane.BatchSizes.All);
    }

    [Fact]
    public async Task ComposeAsync_LoneRequestWithMaxBatchDelay_WaitsForTheDelayThenRunsAlone()
    {
        // Arrange
        TimeSpan delay = TimeSpan.FromMilliseconds(300);
        using var lane = new ComputeLane(RepoModel, Seed(), maxBatchDelay: delay);
        using var request = Requests.Parse("lone", 1.0);
        long started = Stopwatch.GetTimestamp();

        // Act: it must end (the wait is bounded) even though no other request comes.
        await lane.Scheduler.ComposeAsync(request, DateTimeOffset.UnixEpoch, new ArrayBufferWriter<byte>()).AsTask().WaitAsync(Patience);
        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);

        // Assert: it waited for company first (the wait is timed to the millisecond).
        Assert.True(elapsed >= delay - TimeSpan.FromMilliseconds(1), $"completed after {elapsed.TotalMilliseconds} ms");
        Assert.Equal([1], lane.BatchSizes.All);
    }

    [Fact]
    public async Task ComposeAsync_MaxBatchDelayAndALaterRequest_BothRunTogetherOnceTheBatchIsFull()
    {
        // Arrange: a delay far longer than the test waits; the batch must run as soon as it is full instead.
        using var lane = new ComputeLane(RepoModel, Seed(), maxBatchSize: 2, maxBatchDelay: TimeSpan.FromMinutes(5));
        using var early = Requests.Parse("early", 1.0);
        using var late = Requests.Parse("late", 2.0);
        Task first = lane.Scheduler.ComposeAsync(early, DateTimeOffset.UnixEpoch, new ArrayBufferWriter<byte>()).AsTask();
        await Task.Delay(50);

        // Act
        Task second = lane.Scheduler.ComposeAsync(late, DateTimeOffset.UnixEpoch, new ArrayBufferWriter<byte>()).AsTask();
        await Task.WhenAll(first, second).WaitAsync(Patience);

        // Assert
        Assert.Equal([2], lane.BatchSizes.All);
    }

    [Fact]
    public async Task ComposeAsync_BatchedRunFails_RerunsOneByOneAndOnlyTheBadRequestFails()
    {
        // Arrange: token id 5000 is outside the text model's vocabulary of 1000, so any run holding it throws.
        using var gate = new GatedTransformation(new TokenIdsTransformation());
        using var lane = new ComputeLane(GeneratedModels.TextClassifier, gate);
        using var held = Requests.Parse("held", 1, 2);
        Task first = lane.Scheduler.ComposeAsync(held, DateTimeOffset.UnixEpoch, new ArrayBufferWriter<byte>()).AsTask();
        gate.WaitUntilHeld();
        InferenceRequest[] batch = [Requests.Parse("a", 5, 6, 7), Requests.Parse("b", 8), Requests.Parse("bad", 9, 5000), Requests.Parse("c", 10, 11), Requests.Parse("d", 12)];
        ArrayBufferWriter<byte>[] replies = [.. batch.Select(_ => new ArrayBufferWriter<byte>())];
        Task[] tasks = [.. batch.Select((r, i) => lane.Scheduler.ComposeAsync(r, DateTimeOffset.UnixEpoch, replies[i]).AsTask())];

        // Act
        gate.Release();
        await first.WaitAsync(Patience);
        Exception? failure = await Record.ExceptionAsync(() => tasks[2].WaitAsync(Patience));
        await Task.WhenAll(tasks.Where((_, i) => i != 2)).WaitAsync(Patience);

        // Assert
        Assert.IsType<OnnxRuntimeException>(failure);
        Assert.Equal([1, 1, 1, 1, 1], lane.BatchSizes.All);
        Assert.Equal(0, replies[2].WrittenCount);
        Assert.All(replies.Where((_, i) => i != 2), reply => Assert.Contains("\"processed_data\":", Encoding.UTF8.GetString(reply.WrittenSpan), StringComparison.Ordinal));
        foreach (InferenceRequest request in batch)
        {
            request.Dispose();
        }
    }

    [Fact]
    public async Task ComposeAsync_TransformationFailsForOne_TheOthersStillShareOneRun()
    {
        // Arrange
        using var gate = new GatedTransformation(new FailingTransformation(Seed()));
        using var lane = new ComputeLane(RepoModel, gate);
        using var held = Requests.Parse("held", 1.0);
        Task first = lane.Scheduler.ComposeAsync(held, DateTimeOffset.UnixEpoch, new ArrayBufferWriter<byte>()).AsTask();
        gate.WaitUntilHeld();
        InferenceRequest[] batch = [Requests.Parse("a", 1.0), Requests.Parse("bad", -1.0), Requests.Parse("b", 2.0), Requests.Parse("c", 3.0)];
        Task[] tasks = [.. batch.Select(r => lane.Scheduler.ComposeAsync(r, DateTimeOffset.UnixEpoch, new ArrayBufferWriter<byte>()).AsTask())];

        // Act
        gate.Release();
        await first.WaitAsync(Patience);
        Exception? failure = await Record.ExceptionAsync(() => tasks[1].WaitAsync(Patience));
        await Task.WhenAll(tasks.Where((_, i) => i != 1)).WaitAsync(Patience);

        // Assert
        Assert.Equal("negative first value", Assert.IsType<ArgumentException>(failure).Message);
        Assert.Equal([1, 3], lane.BatchSizes.All);
        foreach (InferenceRequest request in batch)
        {
            request.Dispose();
        }
    }

    [Fact]
    public async Task ComposeAsync_ModelWithoutBatchDimension_RunsOneRequestAtATime()
    {
        // Arrange: the seed's own model has a fixed [1, 1] input.
        using var gate = new GatedTransformation(Seed());
        using var lane = new ComputeLane(SeedModel, gate);
        using var held = Requests.Parse("held", 1.0);
        Task first = lane.Scheduler.ComposeAsync(held, DateTimeOffset.UnixEpoch, new ArrayBufferWriter<byte>()).AsTask();
        gate.WaitUntilHeld();
        InferenceRequest[] waiting = [.. SeedVectors.All.Select((v, i) => Requests.Parse($"v{i}", (double[])v[0]))];
        ArrayBufferWriter<byte>[] replies = [.. waiting.Select(_ => new ArrayBufferWriter<byte>())];
        Task[] rest = [.. waiting.Select((r, i) => lane.Scheduler.ComposeAsync(r, DateTimeOffset.UnixEpoch, replies[i]).AsTask())];

        // Act
        gate.Release();
        await Task.WhenAll([first, .. rest]).WaitAsync(Patience);

        // Assert
        Assert.Equal(1, lane.Composer.MaxBatchSize);
        Assert.All(lane.BatchSizes.All, size => Assert.Equal(1, size));
        Assert.Equal(1 + waiting.Length, lane.BatchSizes.All.Count);
        int index = 0;
        foreach (object[] vector in SeedVectors.All)
        {
            Assert.Contains($"\"model_output\":{vector[2]}}}", Encoding.UTF8.GetString(replies[index].WrittenSpan), StringComparison.Ordinal);
            waiting[index++].Dispose();
        }
    }

    [Fact]
    public async Task ComposeAsync_SeedVectorsInOneBatch_RepliesAreByteForByteTheSeedsReplies()
    {
        // Arrange: all seed vectors wait together behind a held request, so they share one run of the repo model.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_003_250);
        DateTimeOffset pickedUp = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_500);
        using var gate = new GatedTransformation(Seed());
        using var lane = new ComputeLane(RepoModel, gate, time: new FixedTime(now));
        using var held = Requests.Parse("held", 1.0);
        Task first = lane.Scheduler.ComposeAsync(held, pickedUp, new ArrayBufferWriter<byte>()).AsTask();
        gate.WaitUntilHeld();
        var vectors = SeedVectors.All.Select(v => ((double[])v[0], (string)v[1], (string)v[2])).ToList();
        InferenceRequest[] requests = [.. vectors.Select((v, i) => Requests.Parse($"v{i}", v.Item1))];
        ArrayBufferWriter<byte>[] replies = [.. requests.Select(_ => new ArrayBufferWriter<byte>())];
        Task[] tasks = [.. requests.Select((r, i) => lane.Scheduler.ComposeAsync(r, pickedUp, replies[i]).AsTask())];

        // Act
        gate.Release();
        await Task.WhenAll([first, .. tasks]).WaitAsync(Patience);

        // Assert
        Assert.Equal([1, vectors.Count], lane.BatchSizes.All);
        for (int i = 0; i < vectors.Count; i++)
        {
            string data = string.Join(", ", vectors[i].Item1.Select(PythonFloat.ToString));
            Assert.Equal(
                $$$"""{"message_id":"v{{{i}}}","pick_up_timestamp":1700000000.5,"response_timestamp":1700000003.25,"result":{"original_input":[{{{data}}}],"processed_data":"{{{vectors[i].Item2}}}","model_output":{{{vectors[i].Item3}}}}}""",
                Encoding.UTF8.GetString(replies[i].WrittenSpan));
            requests[i].Dispose();
        }
    }

    [Fact]
    public void Constructor_ZeroThreads_OnePerProcessor()
    {
        // Arrange, Act
        using var lane = new ComputeLane(RepoModel, Seed(), computeThreads: 0);

        // Assert
        Assert.Equal(Environment.ProcessorCount, lane.Scheduler.MaximumConcurrencyLevel);
    }
}
