namespace QueueInference.Cli.Benchmarking;

/// <summary>What a broker disturbance did: when it took effect (Unix seconds) and, where it chose a target, which.</summary>
/// <param name="At">When the disturbing command returned (close_all_connections, stop_app) or the node was killed.</param>
/// <param name="Detail">E.g. which node was killed; null when there was nothing to choose.</param>
/// <param name="Node">The cluster node killed, when one was.</param>
public sealed record BlipEffect(double At, string? Detail, int? Node = null);
