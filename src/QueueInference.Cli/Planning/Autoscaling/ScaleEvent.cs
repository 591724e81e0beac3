namespace QueueInference.Cli.Planning.Autoscaling;

/// <summary>A replica change the HPA made (always positive; direction is kept by which list holds it).</summary>
public readonly record struct ScaleEvent(double TimeSeconds, int Change);
