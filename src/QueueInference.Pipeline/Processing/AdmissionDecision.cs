namespace QueueInference.Pipeline.Processing;

/// <summary>The registry's answer for one delivery: what to do, and the attempt it belongs to (none for <see cref="AdmissionKind.AlreadyAnswered"/>).</summary>
public readonly record struct AdmissionDecision(AdmissionKind Kind, Attempt? Attempt);
