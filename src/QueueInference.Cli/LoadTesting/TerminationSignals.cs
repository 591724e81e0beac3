using System.Runtime.InteropServices;

namespace QueueInference.Cli.LoadTesting;

/// <summary>
/// Turns SIGINT and SIGTERM into a cancellation the run handles itself, instead of the runtime
/// ending the process at once: an interrupted load test still prints and writes what it measured,
/// and an interrupted benchmark still kills its pod process and stops its private broker.
/// </summary>
public sealed class TerminationSignals : IDisposable
{
    private readonly CancellationTokenSource _cancellation;
    private readonly PosixSignalRegistration[] _registrations;

    public TerminationSignals(CancellationToken outer)
    {
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal)];
    }

    public CancellationToken Token => _cancellation.Token;

    private void OnSignal(PosixSignalContext context)
    {
        // Keeps the process alive; the run winds down through the token.
        context.Cancel = true;
        _cancellation.Cancel();
    }

    public void Dispose()
    {
        foreach (PosixSignalRegistration registration in _registrations)
        {
            registration.Dispose();
        }

        _cancellation.Dispose();
    }
}
