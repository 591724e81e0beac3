using System.Diagnostics;

namespace QueueInference.Cli.LoadTesting;

/// <summary>Reports counts and rates while a run is going: every second on a terminal, every five seconds otherwise.</summary>
public static class ProgressReporter
{
    public static async Task RunAsync(RunConsole console, MessageLedger ledger, Func<long> confirmed, CancellationToken cancellationToken)
    {
        TimeSpan interval = console.IsTerminal ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(5);
        var clock = Stopwatch.StartNew();
        long lastSent = 0;
        long lastReplied = 0;
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                long sent = ledger.Sent;
                long replied = ledger.Replied;
                console.Progress("{0,5:F0}s sent={1} confirmed={2} replied={3} awaiting={4} send={5:F0}/s reply={6:F0}/s",
                    clock.Elapsed.TotalSeconds, sent, confirmed(), replied, ledger.Missing,
                    (sent - lastSent) / interval.TotalSeconds, (replied - lastReplied) / interval.TotalSeconds);
                lastSent = sent;
                lastReplied = replied;
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over; the summary follows.
        }
    }
}
