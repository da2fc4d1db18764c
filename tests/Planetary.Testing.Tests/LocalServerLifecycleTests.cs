using System.Diagnostics;
using Planetary.Testing.Local;

namespace Planetary.Testing.Tests;

/// <summary>Local servers leave nothing behind: no process, no data directory.</summary>
public sealed class LocalServerLifecycleTests
{
    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Disposed_redis_leaves_no_process_and_no_directory()
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Operation);
        var stateRoot = Directory.CreateTempSubdirectory("planetary-lifecycle-").FullName;
        var server = await LocalRedisServer.StartNewAsync(new LocalServerOptions { StateRoot = stateRoot }, deadline.Token);
        var processId = server.ProcessId!.Value;
        Assert.True(IsRunning(processId));

        await server.DisposeAsync();

        Assert.False(IsRunning(processId));
        Assert.Empty(Directory.EnumerateFileSystemEntries(stateRoot));
        Directory.Delete(stateRoot);
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Killed_rabbitmq_is_gone_and_a_restart_gets_a_new_vm()
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Operation);
        await using var server = await LocalRabbitMqServer.StartNewAsync(cancellationToken: deadline.Token);
        var firstVm = server.ProcessId!.Value;

        await server.RestartAsync(ServerStopMode.Kill, deadline.Token);

        Assert.False(IsRunning(firstVm));
        Assert.NotEqual(firstVm, server.ProcessId);
        Assert.True(IsRunning(server.ProcessId!.Value));
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
