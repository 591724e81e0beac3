using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QueueInference.Pipeline.Configuration;
using QueueInference.Pipeline.Messaging;
using QueueInference.Pipeline.Stages;

namespace QueueInference.Pipeline.Commands;

/// <summary>
/// One-shot commands that both hosts' images run instead of the host when their first argument names one, so
/// Kubernetes needs no other image: the Functions pod's init container declares the request queues before the
/// Functions host indexes its trigger, and <c>helm test</c> sends one seed request through the deployed app.
/// They read the same configuration as the hosts (appsettings.json, <c>Section__Name</c> environment variables).
/// </summary>
public static class AppCommands
{
    /// <summary>Declares every request queue exactly as seed clients do (durable, no arguments), then exits.</summary>
    public const string DeclareRequestQueue = "declare-request-queue";

    /// <summary>Publishes one seed request to every request queue and checks each reply; <c>--timeout</c> (the app's duration syntax) bounds the wait.</summary>
    public const string ProbeReply = "probe-reply";

    private static readonly TimeSpan DefaultProbeTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Runs the command <paramref name="args"/> names and returns its exit code, or null when they name none (run the host).</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = SettingsSectionCheckExtensions.ReflectionBindingJustification)]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = SettingsSectionCheckExtensions.ReflectionBindingJustification)]
    public static async Task<int?> TryRunAsync(string[] args, TextWriter output, CancellationToken cancellationToken = default)
    {
        if (args is not [DeclareRequestQueue or ProbeReply, ..])
        {
            return null;
        }

        HostApplicationBuilder builder = Host.CreateApplicationBuilder(args[1..]);
        builder.Services.AddOptions<RabbitMQOptions>().Bind(builder.Configuration.GetSection(RabbitMQOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.RequestQueues.Count > 0, "RabbitMQ:RequestQueue: must name at least one queue.");
        builder.Services.AddOptions<TransformationOptions>().Bind(builder.Configuration.GetSection(TransformationOptions.SectionName));
        builder.Services.AddSingleton<RabbitMqConnectionFactory>();
        using IHost host = builder.Build();
        RabbitMqConnectionFactory connections = host.Services.GetRequiredService<RabbitMqConnectionFactory>();
        RabbitMQOptions rabbit;
        try
        {
            rabbit = host.Services.GetRequiredService<IOptions<RabbitMQOptions>>().Value;
        }
        catch (OptionsValidationException ex)
        {
            await output.WriteLineAsync($"{args[0]}: {ex.Message}");
            return 2;
        }

        if (args[0] == DeclareRequestQueue)
        {
            return await RequestQueueDeclaration.RunAsync(connections, rabbit, output, cancellationToken);
        }

        if (!TryReadProbeTimeout(builder.Configuration["timeout"], out TimeSpan timeout, out string timeoutError))
        {
            await output.WriteLineAsync($"{ProbeReply}: {timeoutError}");
            return 2;
        }

        var transformation = host.Services.GetRequiredService<IOptions<TransformationOptions>>().Value;
        var probe = new ReplyProbe(connections, rabbit, transformation, TimeProvider.System, host.Services.GetRequiredService<ILogger<ReplyProbe>>());
        return await probe.RunAsync(timeout, output, cancellationToken);
    }

    /// <summary>
    /// Reads probe-reply's <c>--timeout</c> in the duration syntax of every other setting (<see cref="Durations"/>), so
    /// <c>2m</c> works and a bare <c>3</c> is refused instead of meaning three days; absent means two minutes.
    /// </summary>
    internal static bool TryReadProbeTimeout(string? setting, out TimeSpan timeout, out string error)
    {
        timeout = DefaultProbeTimeout;
        error = string.Empty;
        if (setting is null)
        {
            return true;
        }

        if (!Durations.TryParse(setting, out timeout, out string rule))
        {
            error = $"--timeout = '{setting}': {rule}";
            return false;
        }

        if (timeout <= TimeSpan.Zero)
        {
            error = $"--timeout = '{setting}': must be longer than 0";
            return false;
        }

        return true;
    }
}
