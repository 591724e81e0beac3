using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.ObjectPool;
using Microsoft.Extensions.Options;
using QueueInference.Pipeline.Contract;
using QueueInference.Pipeline.Inference;

namespace QueueInference.Pipeline.Processing;

/// <summary>
/// Dedicated threads for the CPU stages (transformation, inference, reply body), fed by one FIFO queue.
/// Run on the thread pool, a burst of thousands of I/O completions queues seconds of CPU work in front
/// of the RabbitMQ client's socket reads, so confirms and acks stall, prefetch is not replenished and
/// the pod goes idle in waves; here the CPU work waits in its own queue and the pool stays free for
/// broker traffic.
/// </summary>
/// <remarks>
/// Batches: a compute thread takes the oldest waiting request and every other one already waiting, up to
/// <see cref="BatchComposer.MaxBatchSize"/>, and runs them as one batch. Nothing waits by default, so a
/// batch is what queued while the previous one ran: one request at light load, full batches when the CPU
/// is the bottleneck. With Inference:MaxBatchDelay the thread waits up to that long (from taking the
/// first request, to the millisecond) for the batch to fill. One thread gathers at a time, so a batch
/// that is filling is not split between threads.
/// </remarks>
public sealed class ComputeScheduler : IDisposable
{
    /// <summary>The compute threads' names, followed by their index: what a profiler or qi bench finds them by.</summary>
    public const string ThreadNamePrefix = "qi-compute-";

    private readonly BlockingCollection<ComputeRequest> _queue = new(new ConcurrentQueue<ComputeRequest>());
    private readonly Lock _gathering = new();
    private readonly BatchComposer _composer;
    private readonly ObjectPool<ComputeRequest> _requests;
    private readonly int _maxBatchSize;
    private readonly TimeSpan _maxBatchDelay;
    private readonly Thread[] _threads;

    private readonly ComputeLaneLoad _load;
    private readonly TimeProvider _timeProvider;

    public ComputeScheduler(IOptions<PipelineOptions> pipelineOptions, IOptions<InferenceOptions> inferenceOptions, BatchComposer composer, ComputeLaneLoad load, TimeProvider timeProvider)
    {
        _load = load;
        _timeProvider = timeProvider;
        ArgumentNullException.ThrowIfNull(pipelineOptions);
        ArgumentNullException.ThrowIfNull(inferenceOptions);
        _composer = composer;
        _maxBatchSize = composer.MaxBatchSize;
        _maxBatchDelay = _maxBatchSize > 1 ? inferenceOptions.Value.MaxBatchDelay : TimeSpan.Zero;
        var policy = new RequestPolicy();
        // Retains enough idle requests for a burst of thousands to reuse rather than allocate them.
        _requests = new DefaultObjectPoolProvider { MaximumRetained = 16 * 1024 }.Create(policy);
        policy.Pool = _requests;

        int count = pipelineOptions.Value.ComputeThreads > 0 ? pipelineOptions.Value.ComputeThreads : Environment.ProcessorCount;
        _threads = new Thread[count];
        for (int i = 0; i < count; i++)
        {
            _threads[i] = new Thread(Work) { IsBackground = true, Name = ThreadNamePrefix + i.ToString(CultureInfo.InvariantCulture) };
            _threads[i].Start();
        }
    }

    /// <summary>Compute threads.</summary>
    public int MaximumConcurrencyLevel => _threads.Length;

    /// <summary>
    /// Queues <paramref name="request"/> for the transformation, inference and its reply body, written to
    /// <paramref name="reply"/>. Completes on the thread pool, never on the compute thread, together with the
    /// rest of its batch; throws what failed this request. With <paramref name="trace"/> (the request's span), its
    /// compute stages become spans under it.
    /// </summary>
    public ValueTask ComposeAsync(InferenceRequest request, DateTimeOffset pickedUpAt, IBufferWriter<byte> reply, Activity? trace = null)
    {
        ComputeRequest item = _requests.Get();
        item.Start(request, pickedUpAt, reply, Stopwatch.GetTimestamp(), trace);
        _load.Queued(_timeProvider.GetUtcNow() - pickedUpAt);
        ValueTask completion = item.AsValueTask;
        _queue.Add(item);
        return completion;
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        foreach (Thread thread in _threads)
        {
            // Queued work finishes first; a thread stuck in user code does not hold up shutdown for long.
            thread.Join(TimeSpan.FromSeconds(5));
        }

        _queue.Dispose();
    }

    private void Work()
    {
        BatchComposer.Workspace workspace = _composer.CreateWorkspace();
        var batch = new ComputeRequest[_maxBatchSize];
        _load.ThreadStarted();
        int count;
        while ((count = Gather(batch)) > 0)
        {
            long started = Stopwatch.GetTimestamp();
            long waited = 0;
            for (int i = 0; i < count; i++)
            {
                waited += started - batch[i].QueuedAt;
            }

            _load.Started(Stopwatch.GetElapsedTime(0, waited), count);
            try
            {
                _composer.Compose(batch.AsSpan(0, count), workspace);
            }
            catch (Exception ex)
            {
                // The composer settles each request's own failures; this is one of its own, and no request may be left waiting.
                foreach (ComputeRequest request in batch.AsSpan(0, count))
                {
                    request.Error ??= ex;
                }
            }

            _load.Completed(count, Stopwatch.GetElapsedTime(started));
            ComputeRequest[] done = batch[..count];
            Array.Clear(batch, 0, count);
            // One work item for the batch: its requests go on to their replies one after another on a pool thread,
            // rather than each waking a thread of its own (and never on this thread, which has the next batch to run).
            ThreadPool.UnsafeQueueUserWorkItem(static done => CompleteAll(done), done, preferLocal: false);
        }
    }

    private static void CompleteAll(ComputeRequest[] done)
    {
        foreach (ComputeRequest request in done)
        {
            request.Complete();
        }
    }

    /// <summary>Waits for a request, then takes the batch; 0 once the queue is closed and empty.</summary>
    private int Gather(ComputeRequest[] batch)
    {
        lock (_gathering)
        {
            if (!_queue.TryTake(out ComputeRequest? first, Timeout.Infinite))
            {
                return 0;
            }

            long firstTaken = Stopwatch.GetTimestamp();
            batch[0] = first;
            int count = TakeWaiting(batch, 1);
            if (_maxBatchDelay > TimeSpan.Zero)
            {
                while (count < batch.Length)
                {
                    TimeSpan left = _maxBatchDelay - Stopwatch.GetElapsedTime(firstTaken);
                    if (left <= TimeSpan.Zero || !_queue.TryTake(out ComputeRequest? next, (int)Math.Ceiling(left.TotalMilliseconds)))
                    {
                        break;
                    }

                    batch[count] = next;
                    count = TakeWaiting(batch, count + 1);
                }
            }

            return count;
        }
    }

    /// <summary>Adds what is already waiting, without blocking, until the batch is full.</summary>
    private int TakeWaiting(ComputeRequest[] batch, int count)
    {
        while (count < batch.Length && _queue.TryTake(out ComputeRequest? next))
        {
            batch[count++] = next;
        }

        return count;
    }

    private sealed class RequestPolicy : PooledObjectPolicy<ComputeRequest>
    {
        public ObjectPool<ComputeRequest> Pool { get; set; } = null!;

        public override ComputeRequest Create() => new(Pool);

        public override bool Return(ComputeRequest obj) => true;
    }
}
