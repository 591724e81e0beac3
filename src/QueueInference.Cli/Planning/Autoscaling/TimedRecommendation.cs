namespace QueueInference.Cli.Planning.Autoscaling;

/// <summary>An unstabilised replica recommendation and when the HPA made it.</summary>
public readonly record struct TimedRecommendation(double TimeSeconds, int Replicas);
