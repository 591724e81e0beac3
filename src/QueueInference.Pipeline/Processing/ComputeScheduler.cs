using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace QueueInference.Pipeline.Processing;

/// <summary>
/// Dedicated threads for the CPU stages (transformation, inference, reply body). Run on the thread pool,
/// a burst of thousands of I/O completions queues seconds of CPU work in front of the RabbitMQ client's
/// socket reads, so confirms and acks stall, prefetch is not replenished and the pod goes idle in waves.
/// Here the CPU work waits in its own FIFO queue and the pool stays free for broker traffic.
/// </summary>
public sealed class ComputeScheduler : TaskScheduler, IDisposable
{
    private readonly BlockingCollection<Task> _queue = new(new ConcurrentQueue<Task>());
    private readonly Thread[] _threads;

    public ComputeScheduler(IOptions<PipelineOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        int count = options.Value.ComputeThreads > 0 ? options.Value.ComputeThreads : Environment.ProcessorCount;
        _threads = new Thread[count];
        for (int i = 0; i < count; i++)
        {
            _threads[i] = new Thread(Work) { IsBackground = true, Name = $"qi-compute-{i}" };
            _threads[i].Start();
        }
    }

    public override int MaximumConcurrencyLevel => _threads.Length;

    /// <summary>Work items waiting for a compute thread.</summary>
    public int QueueLength => _queue.Count;

    /// <summary>
    /// Runs <paramref name="work"/> on a compute thread. The caller's continuation runs on the thread pool,
    /// never on the compute thread, which only ever does CPU work.
    /// </summary>
    public Task RunAsync(Action<object?> work, object? state) =>
        Task.Factory.StartNew(work, state, CancellationToken.None, TaskCreationOptions.DenyChildAttach | TaskCreationOptions.RunContinuationsAsynchronously, this);

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

    protected override void QueueTask(Task task) => _queue.Add(task);

    // Inlining would run CPU work on whichever thread asked, which is what this scheduler exists to prevent.
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

    protected override IEnumerable<Task> GetScheduledTasks() => _queue.ToArray();

    private void Work()
    {
        foreach (Task task in _queue.GetConsumingEnumerable())
        {
            TryExecuteTask(task);
        }
    }
}
