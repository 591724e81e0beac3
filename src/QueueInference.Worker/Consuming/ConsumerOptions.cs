using System.ComponentModel.DataAnnotations;
using QueueInference.Pipeline.Configuration;

namespace QueueInference.Worker.Consuming;

/// <summary>The worker's consumer (section <c>Consumer</c>).</summary>
public sealed class ConsumerOptions
{
    public const string SectionName = "Consumer";

    /// <summary>The AMQP prefetch limit of one consumer (basic.qos is a 16-bit field).</summary>
    public const int MaxPrefetchPerConsumer = ushort.MaxValue;

    /// <summary>
    /// Most requests held at once, unacked. With a 3 s I/O step a pod completes at most
    /// MaxInFlight / 3 s requests per second (Little's law), so this is sized in thousands; memory
    /// grows with every request in flight. Above 65535 per queue the worker starts more consumers.
    /// The default is the benchmarked 20 000 (run b46ef0f8: 4648 msg/s steady, peak RSS 237 MiB in a
    /// 512 MiB pod): the scale planner's limit for the seed workload (15 400) is below
    /// 1.1 x 4648 msg/s x 1.1 x 3 s = 16 873, the headroom the default must keep (docs/scale-planning.md).
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxInFlight { get; set; } = 20_000;

    /// <summary>
    /// Most bytes the requests in flight may hold together (what each holds: README, "Memory per request").
    /// The broker pushes deliveries whenever a consumer has prefetch to spare, so the worker pauses consumers
    /// (basic.cancel) whenever what is held plus every unused prefetch slot counted at the largest valid
    /// request (Contract:MaxBodyBytes) would pass this, and resumes them as requests end: no mix of valid
    /// requests can exhaust the pod. 0 (the default) takes <see cref="DefaultMemoryShare"/> of the container's
    /// memory limit (cgroup v2 or v1), or of the machine's memory where there is none.
    /// </summary>
    [Range(0, long.MaxValue)]
    public long MaxInFlightBytes { get; set; }

    /// <summary>
    /// The share of the container's memory limit requests may hold by default: the rest is the runtime, ONNX
    /// Runtime, the broker client's buffers, garbage not yet collected and the GC's own headroom (its heap may use
    /// 75 % of the limit). Measured: README, "Memory per request".
    /// </summary>
    public const double DefaultMemoryShare = 0.35;

    /// <summary>
    /// When requests wait longer than this for a compute thread (transformation and inference), the pod's CPU is
    /// its bottleneck: the worker then holds only as many requests as it can start within about this wait, and
    /// leaves the rest in the broker for other pods (<see cref="Pipeline.Admission.InFlightLimit"/>).
    /// Consumer:MaxInFlight stays the upper bound. 0 turns the adaptation off.
    /// </summary>
    [DurationRange("0", "1m")]
    public TimeSpan ComputeWaitTarget { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How long the worker remembers the requests it answered (or gave up) while their connection was lost, to
    /// recognise the broker's redeliveries of them: an answered one is acked without a second reply, a given-up
    /// one is processed again without counting as a crash.
    /// </summary>
    [DurationRange("1s", "24h")]
    public TimeSpan RedeliveryWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// When the broker refuses the worker in a way retrying rarely fixes (ACCESS_REFUSED: credentials or
    /// permissions; NOT_ALLOWED: an unknown vhost; PRECONDITION_FAILED; RESOURCE_LOCKED), how long it keeps
    /// retrying before it exits with code 69. /health/live fails from the first refusal.
    /// </summary>
    [DurationRange("0", "1h")]
    public TimeSpan RefusalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>On SIGTERM, how long in-flight requests may take to finish before the rest are left to redelivery.</summary>
    [DurationRange("0", "1h")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>
    /// Time over which the prefetch grows to its full size after consuming starts (ten consumers,
    /// each with a tenth of it, started one after another). With a backlog, a full prefetch at once delivers MaxInFlight requests together,
    /// their I/O steps end together, and the burst of replies and acks swamps the broker; the
    /// next deliveries then come in a burst too, and the waves persist. Spreading the first
    /// deliveries over about one I/O delay keeps the flow smooth. 0 turns the ramp off.
    /// </summary>
    [DurationRange("0", "10m")]
    public TimeSpan PrefetchRampUp { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Wait between attempts to reach the broker at start-up.</summary>
    [DurationRange("100ms", "5m")]
    public TimeSpan ConnectRetryDelay { get; set; } = TimeSpan.FromSeconds(2);
}
