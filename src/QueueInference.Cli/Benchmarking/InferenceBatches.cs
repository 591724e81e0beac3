namespace QueueInference.Cli.Benchmarking;

/// <summary>
/// The worker's <c>queueinference_inference_batch_size</c> histogram at the end of a row: how many inference runs
/// there were and how many requests they took together.
/// </summary>
public sealed record InferenceBatches(long Runs, double Requests)
{
    /// <summary>Requests per run; null before the first run.</summary>
    public double? MeanBatchSize => Runs > 0 ? Requests / Runs : null;
}
