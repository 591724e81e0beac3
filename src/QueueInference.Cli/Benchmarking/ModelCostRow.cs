namespace QueueInference.Cli.Benchmarking;

/// <summary>A model's inference cost per item at one batch size.</summary>
/// <param name="BatchSize">Items per run.</param>
/// <param name="BestSecondsPerItem">The fastest round's wall time per item: a shared machine only ever adds time.</param>
/// <param name="MedianSecondsPerItem">The median round's wall time per item.</param>
/// <param name="CpuSecondsPerItem">The timing thread's CPU time per item across the rounds (ONNX Runtime runs on it with one intra-op thread): what the work costs while it has a core, so less sensitive than wall time to a busy machine; a ceiling's share.</param>
/// <param name="CpuShare">The timing thread's CPU time over wall time across the rounds: below 1, it waited for a core (a noisy machine).</param>
/// <param name="Runs">Runs timed, warm-up excluded.</param>
public sealed record ModelCostRow(int BatchSize, double BestSecondsPerItem, double MedianSecondsPerItem, double CpuSecondsPerItem, double CpuShare, int Runs);
