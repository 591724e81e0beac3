using System.Diagnostics;
using System.Globalization;
using QueueInference.Cli.LoadTesting;

namespace QueueInference.Cli.Benchmarking;

/// <summary>
/// The broker blips, done once per scenario with rabbitmqctl against the benchmark's private node
/// when the worker first holds <see cref="Threshold"/> requests: every connection closed by the broker
/// (<c>close_all_connections</c>), or the broker application stopped for <see cref="Outage"/> and started
/// again. The worker's gauges are read every 100 ms throughout, to tell how much it held when its
/// connection actually dropped and when it was back.
/// </summary>
public sealed class BrokerBlip(PrivateBroker broker, BlipKind kind, long threshold, TimeSpan outage)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    // Read by the scenario's observation loop while RunAsync sets it on another thread.
    private volatile bool _triggered;

    /// <summary>How long after the commands the worker's reconnection is awaited before the blip counts as done.</summary>
    private static readonly TimeSpan ReconnectWatch = TimeSpan.FromMinutes(2);

    public long Threshold { get; } = threshold;

    public TimeSpan Outage { get; } = outage;

    /// <summary>Set when the trigger was reached: from then on the blip runs to its end, whatever the scenario does.</summary>
    public bool Triggered => _triggered;

    public string Action => kind == BlipKind.CloseAllConnections
        ? "rabbitmqctl close_all_connections"
        : string.Create(CultureInfo.InvariantCulture, $"rabbitmqctl stop_app, {Outage.TotalSeconds:0.#} s, start_app");

    /// <summary>The same blip at another trigger, e.g. half a backlog smaller than the threshold.</summary>
    public BrokerBlip WithThreshold(long newThreshold) => new(broker, kind, newThreshold, Outage);

    /// <summary>
    /// Polls the worker's in-flight gauge until it reaches the threshold, then disturbs the broker.
    /// <paramref name="stopWaiting"/> ends the wait (the scenario is over); once started, the
    /// commands always run to their end, so the broker is never left stopped.
    /// </summary>
    public async Task<BlipOutcome> RunAsync(WorkerMetrics metrics, RunConsole console, string scenario, CancellationToken stopWaiting)
    {
        long? maxSeen = null;
        long trigger;
        while (true)
        {
            try
            {
                WorkerMetricsSample sample = await metrics.ReadAsync(stopWaiting);
                maxSeen = sample.InFlight > (maxSeen ?? long.MinValue) ? sample.InFlight : maxSeen;
                if (sample.InFlight is { } inFlight && inFlight >= Threshold)
                {
                    trigger = inFlight;
                    _triggered = true;
                    break;
                }

                await Task.Delay(PollInterval, stopWaiting);
            }
            catch (OperationCanceledException) when (stopWaiting.IsCancellationRequested)
            {
                return BlipOutcome.NotTriggered(maxSeen);
            }
        }

        console.Line("{0}: {1} in flight in the worker: {2}", scenario, trigger, Action);
        double triggeredAt = UnixTime.Now();
        var clock = Stopwatch.StartNew();
        Task<string?> commands = RunCommandsAsync();
        long? lastConnectedInFlight = trigger;
        double? lostAt = null;
        double? reconnectedAt = null;
        DateTime? watchUntil = null;
        while (true)
        {
            if (commands.IsCompleted)
            {
                watchUntil ??= DateTime.UtcNow + ReconnectWatch;
                if (reconnectedAt is not null || DateTime.UtcNow >= watchUntil || stopWaiting.IsCancellationRequested)
                {
                    break;
                }
            }

            WorkerMetricsSample sample = await metrics.ReadAsync(CancellationToken.None);
            switch (sample.Connected)
            {
                case true when lostAt is null:
                    lastConnectedInFlight = sample.InFlight ?? lastConnectedInFlight;
                    break;
                case false when lostAt is null:
                    lostAt = UnixTime.Now();
                    console.Line("{0}: the worker lost its connection with {1} in flight", scenario, lastConnectedInFlight);
                    break;
                case true when reconnectedAt is null:
                    reconnectedAt = UnixTime.Now();
                    console.Line("{0}: the worker is connected again after {1:F1} s", scenario, reconnectedAt - lostAt);
                    break;
            }

            await Task.Delay(PollInterval, CancellationToken.None);
        }

        string? error = await commands;
        double commandSeconds = clock.Elapsed.TotalSeconds;
        console.Line("{0}: {1} took {2:F1} s{3}", scenario, Action, commandSeconds, error is null ? string.Empty : $" and failed: {error}");
        return new BlipOutcome(true, trigger, lostAt is null ? trigger : lastConnectedInFlight, maxSeen, triggeredAt, lostAt, reconnectedAt, commandSeconds, error);

        async Task<string?> RunCommandsAsync()
        {
            try
            {
                if (kind == BlipKind.CloseAllConnections)
                {
                    await broker.ControlAsync(["close_all_connections", "qi bench blip"], CancellationToken.None);
                    return null;
                }

                try
                {
                    await broker.ControlAsync(["stop_app"], CancellationToken.None);
                    await Task.Delay(Outage, CancellationToken.None);
                }
                finally
                {
                    await broker.ControlAsync(["start_app"], CancellationToken.None);
                }

                return null;
            }
            catch (InvalidOperationException exception)
            {
                return exception.Message;
            }
        }
    }
}
