using Akka.Actor;
using Akka.Event;
using LitestreamActors.Actors.Events;
using LitestreamActors.Actors.Settings;

namespace LitestreamActors.Actors.Hooks;

/// <summary>
/// Runs the <c>exec:</c> list's hooks on node events (started: a database is replicating; synced, snapshot, error,
/// stopped) with
/// <c>LITESTREAM_EVENT</c>, <c>LITESTREAM_DB_PATH</c>, <c>LITESTREAM_REPLICA</c>, <c>LITESTREAM_TXID</c> and
/// <c>LITESTREAM_ERROR</c>. Their output goes to the log; a failing or hanging hook is a warning and never touches
/// replication. While an event's hooks still run, further occurrences of that event are skipped, not queued.
/// </summary>
public sealed class ExecHookActor : ReceiveActor
{
    private readonly IReadOnlyList<ExecHook> _hooks;
    private readonly HashSet<string> _running = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public ExecHookActor(IReadOnlyList<ExecHook> hooks)
    {
        _hooks = hooks;
        Receive<SyncObserved>(sync =>
        {
            if (sync.Failed)
            {
                Fire("error", ("DB_PATH", sync.Path), ("ERROR", sync.Error!));
            }
            else if (sync.WalBytes > 0)
            {
                Fire("synced", ("DB_PATH", sync.Path), ("TXID", Storage.Ltx.Txid.Format(sync.Txid)));
            }
        });
        Receive<DatabaseReplicating>(started => Fire("started", ("DB_PATH", started.Path), ("TXID", Storage.Ltx.Txid.Format(started.Txid))));
        Receive<SnapshotObserved>(snapshot =>
            Fire("snapshot", ("DB_PATH", snapshot.Path), ("REPLICA", snapshot.Replica), ("TXID", Storage.Ltx.Txid.Format(snapshot.Txid))));
        Receive<ReplicaErrorObserved>(error => Fire("error", ("REPLICA", error.Replica), ("ERROR", error.Reason)));
        Receive<Stopping>(_ => Run("stopped", [], Sender));
        Receive<Finished>(finished =>
        {
            _running.Remove(finished.Event);
            finished.ReplyTo?.Tell(new Stopped());
        });
    }

    /// <remarks>On the I/O dispatcher, though hooks run as tasks and the actor never waits on one.</remarks>
    public static Props Props(IReadOnlyList<ExecHook> hooks) =>
        Akka.Actor.Props.Create(() => new ExecHookActor(hooks)).WithDispatcher(Dispatchers.Io);

    protected override void PreStart()
    {
        foreach (var type in new[] { typeof(DatabaseReplicating), typeof(SyncObserved), typeof(SnapshotObserved), typeof(ReplicaErrorObserved) })
        {
            Context.System.EventStream.Subscribe(Self, type);
        }
    }

    private void Fire(string name, params (string Key, string Value)[] values) => Run(name, values, null);

    private void Run(string name, (string Key, string Value)[] values, IActorRef? replyTo)
    {
        var hooks = _hooks.Where(h => h.On == name).ToList();
        if (hooks.Count == 0 || !_running.Add(name))
        {
            replyTo?.Tell(new Stopped());
            return;
        }
        var variables = values.ToDictionary(v => "LITESTREAM_" + v.Key, v => v.Value, StringComparer.Ordinal);
        variables["LITESTREAM_EVENT"] = name;
        var log = _log;
        RunAllAsync(hooks, variables, log).PipeTo(Self, success: () => new Finished(name, replyTo));
    }

    private static async Task RunAllAsync(List<ExecHook> hooks, Dictionary<string, string> variables, ILoggingAdapter log)
    {
        foreach (var hook in hooks)
        {
            var outcome = await HookProcess.RunAsync(hook, variables);
            // The program only: arguments may carry tokens.
            var command = hook.Command[0];
            foreach (var line in outcome.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                log.Info("exec hook output event={0} cmd={1}: {2}", variables["LITESTREAM_EVENT"], command, line.TrimEnd('\r'));
            }
            if (outcome.Problem is { } problem)
            {
                log.Warning("exec hook failed event={0} cmd={1}: {2}; replication goes on", variables["LITESTREAM_EVENT"], command, problem);
            }
            else
            {
                log.Info("exec hook ran event={0} cmd={1}", variables["LITESTREAM_EVENT"], command);
            }
        }
    }

    /// <summary>The node is stopping: run the <c>stopped</c> hooks; answered by <see cref="Stopped"/> when they ended.</summary>
    public sealed record Stopping;

    public sealed record Stopped;

    private sealed record Finished(string Event, IActorRef? ReplyTo);
}
