using Microsoft.Extensions.Options;
using QueueInference.Pipeline.Admission;
using QueueInference.Pipeline.Configuration;
using QueueInference.Pipeline.Inference;
using QueueInference.Pipeline.Messaging;
using QueueInference.Pipeline.Processing;

namespace QueueInference.Worker.Consuming;

/// <summary>
/// The worker's consumer over its lifetime: waits for the model, opens a <see cref="ConsumerSession"/> (and a
/// new one after every connection loss, on whichever node of the connection string answers), lets the
/// <see cref="CreditGovernor"/> run its consumers under the memory budget and the
/// <see cref="DeliveryDispatcher"/> process what they deliver. A refusal that retrying rarely fixes ends the
/// process with exit code 69 after Consumer:RefusalTimeout. On stop it cancels its consumers, lets in-flight
/// requests finish for up to Consumer:DrainTimeout, then closes; whatever is still unacked is redelivered by
/// the broker to another consumer.
/// </summary>
public sealed partial class QueueConsumerService(
    IServiceProvider services,
    ModelReadiness model,
    ConfirmingPublisher publisher,
    RabbitMqConnectionFactory connections,
    BrokerTopology topology,
    MemoryBudget budget,
    AttemptRegistry registry,
    ConsumerState state,
    IOptions<ConsumerOptions> consumerOptions,
    IOptions<RabbitMQOptions> rabbitOptions,
    IHostApplicationLifetime lifetime,
    TimeProvider timeProvider,
    ILogger<QueueConsumerService> logger) : BackgroundService
{
    /// <summary>The exit code when the broker keeps refusing the worker (EX_UNAVAILABLE, sysexits.h).</summary>
    public const int RefusedExitCode = 69;

    /// <summary>The exit code when the consumer failed for a reason of its own (EX_SOFTWARE, sysexits.h).</summary>
    public const int CrashedExitCode = 70;

    private readonly ConsumerOptions _options = consumerOptions.Value;
    private readonly RabbitMQOptions _rabbit = rabbitOptions.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        ConsumerPlan plan = ConsumerPlan.Create(_rabbit.RequestQueues, _options.MaxInFlight, budget.LimitBytes, budget.WorstRequestBytes, _options.PrefetchRampUp);
        using var governor = ActivatorUtilities.CreateInstance<CreditGovernor>(services);
        var outages = ActivatorUtilities.CreateInstance<OutageReport>(services);
        DeliveryDispatcher? dispatcher = null;
        ConsumerSession? session = null;
        try
        {
            // The reply channels open alongside the consumer's, so the first reply does not wait for them.
            Task publisherOpened = OpenPublisherAsync(stoppingToken);
            if (!await WaitForModelAsync(stoppingToken))
            {
                return;
            }

            dispatcher = ActivatorUtilities.CreateInstance<DeliveryDispatcher>(services, governor, outages);
            for (bool first = true; ; first = false)
            {
                session = await OpenSessionAsync(plan, governor, stoppingToken);
                if (session is null)
                {
                    Environment.ExitCode = RefusedExitCode;
                    lifetime.StopApplication();
                    return;
                }

                state.IsConnected = true;
                await publisherOpened;
                state.IsConsuming = true;
                if (first)
                {
                    LogConsuming(logger, _rabbit.RequestQueue, plan.Consumers, plan.Slots.Max(s => s.Prefetch), plan.MaxInFlight, budget.LimitBytes / 1048576.0, budget.Source, session.Endpoint);
                }
                else
                {
                    outages.Recovered(session);
                }

                Task governing = governor.RunAsync(session, dispatcher, stoppingToken);
                string reason = await session.Lost.WaitAsync(stoppingToken);
                state.IsConnected = false;
                state.IsConsuming = false;
                outages.Lost(session, reason);
                await governing;
                await session.DisposeAsync();
                session = null;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stop requested: fall through to the drain.
        }
        catch (Exception ex)
        {
            // A bug, not the broker: stop with a code that says so, rather than the host's quiet exit 0.
            LogCrashed(logger, ex, CrashedExitCode);
            Environment.ExitCode = CrashedExitCode;
            lifetime.StopApplication();
        }
        finally
        {
            if (dispatcher is not null)
            {
                await DrainAsync(session, dispatcher);
                dispatcher.Dispose();
            }

            if (session is not null)
            {
                await session.DisposeAsync();
            }

            state.IsConnected = false;
            LogStopped(logger, state.Replied, state.DeadLettered, state.Failed, state.Retried, state.Requeued, state.Abandoned);
        }
    }

    /// <summary>
    /// Opens a session, retrying every Consumer:ConnectRetryDelay while the broker is unreachable; null when it
    /// kept refusing the worker (credentials, permissions, vhost, a queue's arguments) for Consumer:RefusalTimeout.
    /// </summary>
    private async Task<ConsumerSession?> OpenSessionAsync(ConsumerPlan plan, CreditGovernor governor, CancellationToken stoppingToken)
    {
        long? refusedSince = null;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                ConsumerSession session = await ConsumerSession.OpenAsync(connections, topology, plan, governor.BeforeAcksAsync, stoppingToken);
                state.Refusal = null;
                LogConnected(logger, session.Endpoint, session.ConnectionName);
                return session;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                if (BrokerErrors.Refusal(ex) is { } refusal)
                {
                    state.Refusal = refusal;
                    if (refusedSince is null)
                    {
                        refusedSince = timeProvider.GetTimestamp();
                        LogRefused(logger, connections.RedactedEndpoint, refusal, Durations.Format(_options.RefusalTimeout));
                    }

                    if (timeProvider.GetElapsedTime(refusedSince.Value) >= _options.RefusalTimeout)
                    {
                        LogGivingUp(logger, connections.RedactedEndpoint, refusal, RefusedExitCode);
                        return null;
                    }
                }
                else
                {
                    (state.Refusal, refusedSince) = (null, null);
                    LogConnectFailed(logger, connections.RedactedEndpoint, attempt, Durations.Format(_options.ConnectRetryDelay), ex.InnerException?.Message ?? ex.Message);
                }

                await Task.Delay(_options.ConnectRetryDelay, timeProvider, stoppingToken);
            }
        }
    }

    /// <summary>False when the model failed to load: the host's start fails with that error, and nothing is consumed.</summary>
    private async Task<bool> WaitForModelAsync(CancellationToken stoppingToken)
    {
        try
        {
            await model.Loaded.WaitAsync(stoppingToken);
            return true;
        }
        catch (Exception) when (model.Loaded.IsFaulted)
        {
            return false;
        }
    }

    private async Task OpenPublisherAsync(CancellationToken stoppingToken)
    {
        try
        {
            await publisher.OpenAsync(stoppingToken);
        }
        catch (Exception ex) when (BrokerErrors.IsConnectionFailure(ex) || BrokerErrors.Refusal(ex) is not null)
        {
            // Not fatal: the first publish opens it, and the consumer's own connect loop reports the broker.
            LogPublisherDeferred(logger, ex.Message);
        }
    }

    private async Task DrainAsync(ConsumerSession? session, DeliveryDispatcher dispatcher)
    {
        state.IsDraining = true;
        state.IsConsuming = false;
        // Attempts whose connection was lost wait for a redelivery that will not come now: give them up.
        registry.StopWaitingForRedeliveries();
        LogDraining(logger, state.InFlight, Durations.Format(_options.DrainTimeout));
        long started = timeProvider.GetTimestamp();
        if (session is { IsOpen: true })
        {
            try
            {
                await session.PauseAllAsync(CancellationToken.None);
            }
            catch (Exception ex) when (BrokerErrors.IsConnectionFailure(ex) || ex is TimeoutException)
            {
                // Nothing more will be delivered on a closed channel anyway.
            }
        }

        while (state.InFlight > 0 && timeProvider.GetElapsedTime(started) < _options.DrainTimeout)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), timeProvider);
        }

        long abandonedBefore = state.Abandoned;
        int unfinished = state.InFlight;
        if (unfinished > 0)
        {
            LogDrainTimedOut(logger, unfinished);
            await dispatcher.AbandonAsync();
            // Cancelled work unwinds within moments; its deliveries are given back unacked.
            for (int i = 0; i < 100 && state.InFlight > 0; i++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), timeProvider);
            }
        }

        // Requests that finished during the last flush interval are acked before the channels close.
        if (session is { IsOpen: true })
        {
            try
            {
                await session.FlushAsync();
            }
            catch (Exception ex) when (BrokerErrors.IsConnectionFailure(ex) || ex is ObjectDisposedException)
            {
                // Their requests go back to the queue with the channel; at-least-once allows the repeat.
            }
        }

        LogDrained(logger, timeProvider.GetElapsedTime(started).TotalSeconds, state.Abandoned - abandonedBefore);
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "The consumer failed; exiting with code {ExitCode}")]
    private static partial void LogCrashed(ILogger logger, Exception exception, int exitCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to {Endpoint} as {ConnectionName}")]
    private static partial void LogConnected(ILogger logger, string endpoint, string? connectionName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot reach {Endpoint} (attempt {Attempt}): {Error}; retrying in {Delay}")]
    private static partial void LogConnectFailed(ILogger logger, string endpoint, int attempt, string delay, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "The broker at {Endpoint} refuses this worker: {Refusal}. /health/live fails; retrying for {Timeout}, then exiting")]
    private static partial void LogRefused(ILogger logger, string endpoint, string refusal, string timeout);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Giving up: the broker at {Endpoint} still refuses this worker ({Refusal}); exiting with code {ExitCode}")]
    private static partial void LogGivingUp(ILogger logger, string endpoint, string refusal, int exitCode);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reply channel not opened at start ({Error}); it opens on the first reply")]
    private static partial void LogPublisherDeferred(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Consuming {Queues} with {Consumers} consumer(s) of prefetch {Prefetch} or less, at most {MaxInFlight} in flight holding at most {BudgetMiB:F0} MiB ({BudgetSource}), via {Endpoint}")]
    private static partial void LogConsuming(ILogger logger, string queues, int consumers, int prefetch, int maxInFlight, double budgetMiB, string budgetSource, string endpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Draining: consumers cancelled, {InFlight} request(s) in flight, waiting up to {DrainTimeout}")]
    private static partial void LogDraining(ILogger logger, int inFlight, string drainTimeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drain time ran out with {InFlight} request(s) unfinished: cancelling them; they stay unacked and the broker redelivers them")]
    private static partial void LogDrainTimedOut(ILogger logger, int inFlight);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drained in {Seconds:F1} s; {GivenBack} request(s) given back to the broker unfinished")]
    private static partial void LogDrained(ILogger logger, double seconds, long givenBack);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped: {Replied} replied, {DeadLettered} dead-lettered, {Failed} failed attempts, {Retried} retried, {Requeued} redeliveries requeued, {Abandoned} given back to the broker unfinished")]
    private static partial void LogStopped(ILogger logger, long replied, long deadLettered, long failed, long retried, long requeued, long abandoned);
}
