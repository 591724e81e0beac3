namespace QueueInference.Cli.Benchmarking;

/// <summary>
/// A model row's model cost (issue 14): the mean batch size the worker reached (its batch-size histogram, read before
/// the pod was stopped), rounded to <paramref name="TimedBatchSize"/>, and the model's cost per item at that size,
/// timed right after the row with ONNX Runtime alone on one intra-op thread (<see cref="ModelCost"/>).
/// </summary>
/// <param name="Model">The .onnx file.</param>
/// <param name="MeanBatchSize">Requests per inference run over the row (queueinference_inference_batch_size sum ÷ count).</param>
/// <param name="TimedBatchSize"><paramref name="MeanBatchSize"/> rounded to the nearest whole size within 1..Inference:MaxBatchSize.</param>
/// <param name="SecondsPerItem">The fastest round's time per item: the machine's best moment, for the fastest-round ceiling.</param>
/// <param name="MedianSecondsPerItem">The median round's, for how noisy the machine was.</param>
/// <param name="CpuSecondsPerItem">CPU time per item across the rounds: what the model costs while it has a core, the model's share of the row's ceiling.</param>
/// <param name="CpuShare">The timing thread's CPU time over wall time: below 1, it waited for a core.</param>
public sealed record ModelCostAtBatch(string Model, double MeanBatchSize, int TimedBatchSize, double SecondsPerItem, double MedianSecondsPerItem, double CpuSecondsPerItem, double CpuShare);
