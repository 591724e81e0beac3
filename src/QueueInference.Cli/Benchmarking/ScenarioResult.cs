using QueueInference.Cli.LoadTesting;

namespace QueueInference.Cli.Benchmarking;

/// <summary>
/// One row of the benchmark. Field names are read by the scale planner (qi plan): keep them.
/// Times in seconds, memory in MiB; <see cref="Ratio"/> is against <see cref="RatioTo"/>.
/// </summary>
public sealed record ScenarioResult
{
    public required string Name { get; init; }

    public required string Description { get; init; }

    public required string Process { get; init; }

    public int Backlog { get; init; }

    /// <summary>The worker's Consumer:MaxInFlight as set by the benchmark; null when the worker ran with its own default.</summary>
    public int? MaxInFlight { get; init; }

    public double IoDelaySeconds { get; init; }

    public string TransformationMode { get; init; } = "none";

    /// <summary>Values per request: <c>5</c> (the seed's), another size, or a weighted mix such as <c>5:95,4096:5</c>.</summary>
    public string Values { get; init; } = "5";

    /// <summary>Type of the request queue the benchmark declared: <c>classic</c> or <c>quorum</c>.</summary>
    public string QueueType { get; init; } = "classic";

    /// <summary>Arguments the benchmark declared the request queue with, besides its type (seed-max-length); null: none.</summary>
    public string? QueueArguments { get; init; }

    public long Sent { get; init; }

    public long Replied { get; init; }

    public long Missing { get; init; }

    public long Duplicates { get; init; }

    /// <summary>First pick-up to last response: how long the pod took to empty the backlog.</summary>
    public double? DrainSeconds { get; init; }

    /// <summary>Replies ÷ <see cref="DrainSeconds"/> (drain scenarios), or the reply rate (steady).</summary>
    public double? ThroughputPerSecond { get; init; }

    /// <summary>Replies per second between the 10th and 90th percentile of response times: the rate once the pipeline is full.</summary>
    public double? SustainedPerSecond { get; init; }

    public double? OfferedRatePerSecond { get; init; }

    /// <summary>Process start to first reply received.</summary>
    public double? ColdStartSeconds { get; init; }

    public double? PeakRssMiB { get; init; }

    public double? CgroupPeakMiB { get; init; }

    public bool? LimitHit { get; init; }

    public bool? OomKilled { get; init; }

    public bool ExitedEarly { get; init; }

    /// <summary>The process's exit code when it exited on its own (134: the runtime's abort, e.g. out of memory; 137: SIGKILL, e.g. the OOM killer).</summary>
    public int? ExitCode { get; init; }

    /// <summary>Process start to its exit, when it exited on its own.</summary>
    public double? ExitedAfterSeconds { get; init; }

    /// <summary>Highest <c>queueinference_requests_in_flight</c> the worker showed, read every 0.5 s (production scenarios).</summary>
    public long? PeakInFlight { get; init; }

    /// <summary>The scenario timeout ended the wait with requests still unanswered.</summary>
    public bool TimedOut { get; init; }

    /// <summary>Entries drained from the request queue's dead-letter queue at the end (scenarios that count them).</summary>
    public long? DeadLettered { get; init; }

    /// <summary>Requests with neither a reply nor a dead-letter entry: sent − replied − late − dead-lettered without a reply (scenarios that count dead letters).</summary>
    public long? Lost { get; init; }

    /// <summary>Per request size, for a mix of sizes.</summary>
    public IReadOnlyList<SizeResult>? BySize { get; init; }

    /// <summary>The broker disturbance of a blip scenario and what it found in flight.</summary>
    public BlipResult? Blip { get; init; }

    /// <summary>
    /// cluster-kill: the request queue once the worker was stopped. Unacknowledged messages then are held by
    /// consumers of the killed node (the worker's own channels are closed): stranded, not redelivered.
    /// </summary>
    public QueueState? RequestQueueAfterRun { get; init; }

    /// <summary>cluster-kill, when requests were missing or stranded: the request queue after the killed node was started again.</summary>
    public QueueState? RequestQueueAfterNodeBack { get; init; }

    public double? CpuSeconds { get; init; }

    public double? CpuThrottledSeconds { get; init; }

    /// <summary>
    /// The pod's CPU µs per reply over the drain, start-up excluded: its CPU time from the first pick-up to the last
    /// reply's arrival ÷ the replies (<see cref="DrainCpu"/> says how it was read).
    /// </summary>
    public double? CpuMicrosecondsPerMessage { get; init; }

    /// <summary><see cref="CpuMicrosecondsPerMessage"/> ÷ the echo row's in the same run.</summary>
    public double? CpuPerMessageToEcho { get; init; }

    public DrainCpu? DrainCpu { get; init; }

    /// <summary>
    /// Worker rows: the part of <see cref="CpuMicrosecondsPerMessage"/> spent on the worker's compute threads (the
    /// transformation and inference), over the same window, from /proc in 10 ms ticks. The rest is the worker's
    /// messaging, to set beside the echo's CPU per message.
    /// </summary>
    public double? ComputeCpuMicrosecondsPerMessage { get; init; }

    /// <summary>The worker's compute threads' CPU seconds per second of the drain: how much of it the lane ran (at most 1 per compute thread).</summary>
    public double? ComputeThreadsRunningCores { get; init; }

    /// <summary>
    /// Seconds per second of the drain the compute threads were runnable but waited for a core (their schedstat). With
    /// <see cref="ComputeThreadsRunningCores"/>, what is left of each thread's second is time its lane had no work.
    /// </summary>
    public double? ComputeThreadsWaitingCores { get; init; }

    /// <summary>
    /// The machine's idle cores over the drain window (0 to its core count): the broker and this tool run beside the
    /// pod, so a pod below its 1 CPU with no idle core left was waiting for theirs.
    /// </summary>
    public double? MachineIdleCores { get; init; }

    /// <summary>
    /// The benchmark's broker node (its Erlang VM) over the drain window, when the row ran on it: what each message cost
    /// the broker, and the cores it took from the machine the pod shares with it.
    /// </summary>
    public DrainCpu? BrokerDrainCpu { get; init; }

    /// <summary>This tool over the drain window: publishing, collecting and checking replies, sampling.</summary>
    public DrainCpu? ToolDrainCpu { get; init; }

    /// <summary>Worker rows: requests per inference run over the row, from the worker's batch-size histogram before it was stopped.</summary>
    public double? MeanBatchSize { get; init; }

    /// <summary>Worker rows: inference runs over the row.</summary>
    public long? InferenceRuns { get; init; }

    /// <summary>The model rows: the model's cost per item at the batch size the row reached.</summary>
    public ModelCostAtBatch? Model { get; init; }

    /// <summary>cpu-bound: the transformation timed alone on one core right after the row, with the pod stopped.</summary>
    public TransformationCostRow? Transformation { get; init; }

    /// <summary>
    /// cpu-bound and the model rows: 1 ÷ (the echo row's CPU seconds per message + the work's own CPU seconds per message
    /// timed alone, the transformation's or the model's), what the pod could do if the worker cost no more than the echo
    /// besides that work.
    /// </summary>
    public double? CeilingPerSecond { get; init; }

    /// <summary>
    /// <see cref="CeilingPerSecond"/> over this row's drain (<see cref="ScenarioJudgement.DrainCeiling"/>): with an I/O
    /// step, no pod starts the work before the first wait is over, and the throughput counts that wait. The row's ratio
    /// is to this; without an I/O step it equals the ceiling.
    /// </summary>
    public double? DrainCeilingPerSecond { get; init; }

    /// <summary>
    /// cpu-bound and the model rows: the ceiling with the work's fastest timing round instead of its CPU time across all
    /// rounds; the machine's best moment, kept beside the ceiling to show how much of the gap the machine's spread is.
    /// </summary>
    public double? FastestRoundCeilingPerSecond { get; init; }

    /// <summary>Throughput ÷ <see cref="FastestRoundCeilingPerSecond"/>.</summary>
    public double? RatioToFastestRoundCeiling { get; init; }

    /// <summary>model-heavy-unbatched: the batched row's throughput ÷ this row's, in the same run.</summary>
    public double? BatchedToUnbatched { get; init; }

    public LatencyDistribution? PickUp { get; init; }

    public LatencyDistribution? Processing { get; init; }

    public LatencyDistribution? Total { get; init; }

    /// <summary>Steady only: total latency minus the I/O delay, i.e. the pipeline's own overhead.</summary>
    public LatencyDistribution? Overhead { get; init; }

    public double? Ratio { get; init; }

    public string? RatioTo { get; init; }

    public string? Target { get; init; }

    public bool? TargetMet { get; init; }

    public string? Note { get; init; }
}
