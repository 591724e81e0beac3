namespace QueueInference.Cli.Planning;

/// <summary>Defaults that describe this application rather than KEDA or Kubernetes.</summary>
public static class PlanDefaults
{
    /// <summary>The chart's KEDA <c>value</c> for the worker host (charts/queue-inference/values.yaml keda.recommended.worker.value); a deployment test keeps them equal.</summary>
    public const double ChartWorkerValue = 200_000;

    /// <summary>The chart's KEDA <c>value</c> for the Functions host (keda.recommended.functions.value).</summary>
    public const double ChartFunctionsValue = 15;

    /// <summary>The <c>value</c> the chart deploys for <paramref name="mode"/> when keda.value is 0, its default.</summary>
    public static double ChartValue(PlanMode mode) => mode == PlanMode.Functions ? ChartFunctionsValue : ChartWorkerValue;

    /// <summary>The worker's Consumer:MaxInFlight default (and prefetch, which equals it).</summary>
    public const int WorkerMaxInFlight = 20_000;

    /// <summary>The worker's Consumer:ComputeWaitTarget default: its in-flight limit keeps about this much compute work waiting.</summary>
    public const double WorkerComputeWaitTargetSeconds = 0.25;

    /// <summary>The seed's I/O step (IoStepOptions.Delay).</summary>
    public const double IoLatencySeconds = 3.0;

    /// <summary>
    /// Assumed pod start-up (schedule, start .NET, load the model) until the benchmark's coldStartSeconds exists;
    /// override with --startup-delay or --capacity-from.
    /// </summary>
    public const double StartupSeconds = 15.0;

    /// <summary>The Functions RabbitMQ trigger runs one invocation at a time per pod.</summary>
    public const int FunctionsConcurrency = 1;

    /// <summary>Small prefetch for the Functions host: held messages are invisible to an AMQP count and wait in the pod.</summary>
    public const int FunctionsPrefetch = 1;

    /// <summary>
    /// The design load: nothing, then ten pods' worth for ten minutes, then nothing (scale-in and scale to zero).
    /// It starts 0.1 s after a KEDA poll and an HPA sync for every polling interval that divides 60 s, the
    /// unluckiest moment, so that a long pollingInterval is not flattered by a lucky phase.
    /// </summary>
    public const string SeedProfile = "step:0->10x@60.1s..660.1s";
}
