namespace QueueInference.Cli.Benchmarking;

/// <summary>An output line of a pod's process and when it was read (Unix seconds).</summary>
public sealed record PodLogLine(double At, string Text);
