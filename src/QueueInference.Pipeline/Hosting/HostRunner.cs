using System.Net.Sockets;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using QueueInference.Pipeline.Configuration;

namespace QueueInference.Pipeline.Hosting;

/// <summary>
/// Runs a host to its end and turns the way it ended into an exit code, so that no failure aborts the
/// process with a stack trace dump: invalid configuration prints one line per problem and exits with
/// <see cref="ExitCodes.InvalidConfiguration"/>, a <see cref="HostExitException"/> prints its lines and
/// exits with its code, anything else prints the exception and exits with <see cref="ExitCodes.Software"/>.
/// A host that stops normally exits with <see cref="Environment.ExitCode"/>, which a service may have set.
/// </summary>
public static class HostRunner
{
    /// <summary>The advice every "cannot listen" line ends with: the one setting that moves the port.</summary>
    internal const string ChooseAnotherPort = "choose another with Observability:Port (env Observability__Port)";

    /// <summary>The logging category of Microsoft.Extensions.Hosting's host.</summary>
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    /// <summary>
    /// Creates the builder, lets <paramref name="build"/> register the services and build the host (configuration
    /// errors there count too), and runs the host until it stops.
    /// </summary>
    public static async Task<int> RunAsync<TBuilder>(Func<TBuilder> createBuilder, Func<TBuilder, IHost> build, TextWriter? errorOutput = null)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(createBuilder);
        ArgumentNullException.ThrowIfNull(build);
        TextWriter error = errorOutput ?? Console.Error;
        IConfiguration? configuration = null;
        IServiceCollection? services = null;
        IHost? host = null;
        try
        {
            TBuilder builder = createBuilder();
            configuration = builder.Configuration;
            services = builder.Services;

            // The host would log a failed start or a failed BackgroundService with its stack trace; this runner
            // reports both itself, once, as lines on standard error.
            builder.Logging.AddFilter(HostCategory, LogLevel.None);
            host = build(builder);
            await host.StartAsync();
            await host.WaitForShutdownAsync();
            Exception? failure = host.Services.GetServices<IHostedService>()
                .OfType<BackgroundService>()
                .Select(service => service.ExecuteTask?.Exception)
                .FirstOrDefault(exception => exception is not null);
            // A service that stopped the host on purpose may have set Environment.ExitCode (0 unless it did):
            // returning it keeps it, where a plain 0 returned from Main would overwrite it.
            return failure is null ? Environment.ExitCode : Report(error, Classify(failure, configuration, services));
        }
        catch (Exception exception)
        {
            return Report(error, Classify(exception, configuration, services));
        }
        finally
        {
            if (host is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else
            {
                host?.Dispose();
            }
        }
    }

    /// <summary>
    /// What a failure means for the process: its exit code and lines. When it is invalid configuration and
    /// <paramref name="services"/> is given, the lines also name the problems of every other settings section
    /// (<see cref="ConfigurationProblems.DescribeAll"/>), so that one start lists them all.
    /// </summary>
    public static HostExitException Classify(Exception exception, IConfiguration? configuration, IServiceCollection? services = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is HostExitException exit)
        {
            return exit;
        }

        if (exception is AggregateException aggregate)
        {
            if (aggregate.InnerExceptions.OfType<HostExitException>().FirstOrDefault() is { } inner)
            {
                return inner;
            }

            if (aggregate.InnerExceptions.Count == 1)
            {
                return Classify(aggregate.InnerExceptions[0], configuration, services);
            }
        }

        if (IsAddressInUse(exception))
        {
            // Kestrel's outer message names the address ("Failed to bind to address http://[::]:8080: address
            // already in use."); the stack trace below it would tell a newcomer nothing more.
            return new HostExitException(
                ExitCodes.InvalidConfiguration,
                $"cannot listen: {exception.Message} Another process holds the port: stop it, or {ChooseAnotherPort}");
        }

        return ConfigurationProblems.Describe(exception, configuration) is { } problems
            ? new HostExitException(ExitCodes.InvalidConfiguration, [.. problems.Concat(OtherProblems(services, configuration)).Distinct().Select(p => $"invalid configuration: {p}")])
            : new HostExitException(ExitCodes.Software, $"unexpected failure: {exception}");
    }

    private static IReadOnlyList<string> OtherProblems(IServiceCollection? services, IConfiguration? configuration)
    {
        if (services is null)
        {
            return [];
        }

        try
        {
            return ConfigurationProblems.DescribeAll(services, configuration);
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentException or TargetInvocationException)
        {
            // Only a fuller list is lost: the problem that stopped the start is reported all the same.
            return [];
        }
    }

    private static bool IsAddressInUse(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Writes the lines to <paramref name="error"/> and returns the exit code: the one way every host and tool here ends on an error.</summary>
    public static int Report(TextWriter error, HostExitException exit)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(exit);
        foreach (string line in exit.Lines)
        {
            error.WriteLine(line);
        }

        error.Flush();
        return exit.ExitCode;
    }
}
