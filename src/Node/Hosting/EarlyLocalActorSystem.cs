using Akka.Actor;
using LitestreamActors.Node.Logging;
using Microsoft.Extensions.Logging;

namespace LitestreamActors.Node.Hosting;

/// <summary>
/// The local node's actor system, started on another core while the command line and the config are still being read:
/// most of its start is one-time compilation (docs/performance.md, "Start-up"). Taken by a node without a <c>cluster:</c>
/// section; a cluster member stops it before starting its own; disposed untaken (a command that failed first), it stops
/// unused.
/// </summary>
public sealed class EarlyLocalActorSystem : IDisposable
{
    private readonly DeferredSinkLoggerFactory _logs = new();
    private readonly Task<ActorSystem> _start;
    private int _claimed;

    private EarlyLocalActorSystem()
    {
        _start = Task.Run(() => LocalNodeRuntime.CreateSystem(_logs));
    }

    public static EarlyLocalActorSystem Begin() => new();

    /// <summary>The started system, its log lines now going to <paramref name="log"/>.</summary>
    internal async Task<(ActorSystem System, ILoggerFactory LoggerFactory)> TakeAsync(NodeLog log)
    {
        if (Interlocked.Exchange(ref _claimed, 1) != 0)
        {
            throw new InvalidOperationException("the early actor system was already taken or stopped");
        }
        _logs.Bind(log);
        if (!_start.IsCompleted)
        {
            StartupWarmUp.Run();
        }
        return (await _start, _logs);
    }

    /// <summary>
    /// Stops the system, unused, and waits until it has stopped: a cluster member starts its own only then, so the two
    /// never run side by side.
    /// </summary>
    internal async Task StopUnusedAsync()
    {
        if (Interlocked.Exchange(ref _claimed, 1) != 0)
        {
            throw new InvalidOperationException("the early actor system was already taken or stopped");
        }
        await (await _start).Terminate();
    }

    /// <summary>Stops the system unless it was taken or stopped; nothing it logged is written.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _claimed, 1) != 0)
        {
            return;
        }
        _start.ContinueWith(
            started =>
            {
                if (started.IsCompletedSuccessfully)
                {
                    started.Result.Terminate();
                }
            },
            TaskScheduler.Default);
    }
}
