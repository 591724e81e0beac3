using System.Text.Json;

namespace QueueInference.Cli.Tests.Benchmarking;

/// <summary>qi runs the echo, the ceilings' reference pod, and shares the machine with the pod it measures.</summary>
public sealed class RuntimeSettingsTests
{
    [Fact]
    public void QiRuntimeConfig_ThreadPool_IdleThreadsDoNotSpin()
    {
        // Arrange: the runtimeconfig.json qi (and so the echo) starts with, copied beside this test's assembly.
        string path = Path.Combine(AppContext.BaseDirectory, "qi.runtimeconfig.json");
        using JsonDocument config = JsonDocument.Parse(File.ReadAllText(path));

        // Act
        JsonElement spinLimit = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit");

        // Assert: as the worker's, so the echo's CPU per message is its work, not its idle pool threads' spinning.
        Assert.Equal(0, spinLimit.GetInt32());
    }
}
