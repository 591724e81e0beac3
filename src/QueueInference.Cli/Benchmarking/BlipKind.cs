namespace QueueInference.Cli.Benchmarking;

/// <summary>The broker disturbances of the blip scenarios.</summary>
public enum BlipKind
{
    /// <summary><c>rabbitmqctl close_all_connections</c>: every client connection closed by the broker at once.</summary>
    CloseAllConnections,

    /// <summary><c>rabbitmqctl stop_app</c>, a pause, <c>start_app</c>: the broker away for seconds.</summary>
    StopStartApp,
}
