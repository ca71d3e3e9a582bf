using Akka.Actor;
using LitestreamActors.Storage.Replica;
using LitestreamActors.Storage.Restore;

namespace LitestreamActors.Actors.Replication;

/// <summary>
/// Every <c>verify.interval</c>, asks its replica actor for the newest TXID the replica holds whose checksum SQLite
/// gave the capture's full check, restores it to a scratch file and compares (<see cref="RestoreDrill"/>); the outcome goes back to the
/// replica actor, which logs it and shows it in its status.
/// </summary>
public sealed class RestoreDrillActor : ReceiveActor, IWithTimers
{
    private readonly TimeSpan _interval;

    public RestoreDrillActor(IReplicaClient client, TimeSpan interval, string scratchPath)
    {
        _interval = interval;
        Receive<Due>(_ => Context.Parent.Tell(new ReplicaActor.DrillTargetRequest()));
        ReceiveAsync<ReplicaActor.DrillTarget>(async target =>
        {
            Directory.CreateDirectory(Path.GetDirectoryName(scratchPath)!);
            var outcome = await RestoreDrill.RunAsync(client, target.Txid, target.SourceChecksum, scratchPath, CancellationToken.None);
            Context.Parent.Tell(new ReplicaActor.DrillCompleted(outcome));
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IReplicaClient client, TimeSpan interval, string scratchPath) =>
        Akka.Actor.Props.Create(() => new RestoreDrillActor(client, interval, scratchPath)).WithDispatcher(Dispatchers.Io);

    protected override void PreStart() => Timers.StartPeriodicTimer("drill", new Due(), _interval);

    private sealed record Due;
}
