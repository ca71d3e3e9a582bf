using Akka.Actor;
using Akka.TestKit.Xunit2;
using LitestreamActors.Actors.Settings;
using LitestreamActors.Actors.Status;
using LitestreamActors.Actors.Supervision;
using LitestreamActors.Storage.Replica;
using LitestreamActors.TestSupport;

namespace LitestreamActors.Actors.Tests;

/// <summary>The supervision promises of the tree, with real databases written by sqlite3 and real file replicas.</summary>
public sealed class SupervisionTests : TestKit, IDisposable
{
    private readonly TempDirectory _dir = new();

    public SupervisionTests() : base(ActorTestConfig.Hocon)
    {
    }

    [Fact]
    public async Task A_failing_uploader_restarts_alone_while_capture_goes_on_then_the_replica_catches_up()
    {
        var db = NewDatabase("app.db");
        var flaky = new FlakyReplicaClient(new Storage.Replica.File.FileReplicaClient(_dir.File("replica"))) { Down = true };
        var settings = Settings(db, new ReplicaEndpoint("file", null, _dir.File("replica")));
        var supervisor = Sys.ActorOf(LitestreamSupervisor.Props(settings, _ => flaky), "litestream");

        for (var i = 0; i < 5; i++)
        {
            Sqlite3.Execute(db, RandomRows.Inserts(new Random(i), 5));
            Thread.Sleep(150);
        }
        AwaitCondition(() => flaky.FailedWrites >= 2, TimeSpan.FromSeconds(20));
        // Capture goes on while the replica fails; the database shows as failed, with the replica's cause.
        var status = Status(supervisor).Single();
        Assert.Equal("failed", status.State);
        Assert.NotNull(status.Txid);
        Assert.Contains("injected", status.Replicas.Single().LastError, StringComparison.Ordinal);
        Assert.Contains("replica file: ", status.LastError, StringComparison.Ordinal);
        Assert.Equal(0UL, ReplicaFiles.MaxL0Txid(_dir.File("replica")));

        flaky.Down = false;
        AwaitCondition(() =>
        {
            var current = Status(supervisor).Single();
            return current.Replicas.Single().Txid == current.Txid && current.Replicas.Single().LastError is null && current.State == "replicating";
        }, TimeSpan.FromSeconds(40), TimeSpan.FromMilliseconds(200));

        Sys.Stop(supervisor);
        var restored = _dir.File("restored.db");
        var plan = await Storage.Restore.RestorePlanner.PlanAsync(flaky, Storage.Restore.RestoreTarget.Latest, CancellationToken.None);
        await Storage.Restore.DatabaseRestorer.RestoreAsync(flaky, plan, restored, Storage.Restore.IntegrityCheckMode.Full, false, CancellationToken.None);
        Assert.Equal(Sqlite3.Dump(db), Sqlite3.Dump(restored));
    }

    [Fact]
    public void A_database_with_a_broken_replica_stops_alone_and_shows_why()
    {
        var good = NewDatabase("good.db");
        var bad = NewDatabase("bad.db");
        var settings = new LitestreamSettings(
        [
            new DatabaseSettings(good, [new ReplicaSettings("file", new ReplicaEndpoint("file", null, _dir.File("good-replica")))])
            {
                MonitorInterval = TimeSpan.FromMilliseconds(100),
            },
            new DatabaseSettings(bad, [new ReplicaSettings("ftp", new ReplicaEndpoint(string.Empty, "ftp://nowhere/x", null))]),
        ]);
        var supervisor = Sys.ActorOf(LitestreamSupervisor.Props(settings, ReplicaClientFactory.Create), "litestream");

        AwaitCondition(() => ReplicaFiles.MaxL0Txid(_dir.File("good-replica")) >= 1, TimeSpan.FromSeconds(20));
        var statuses = Status(supervisor);
        var stopped = statuses.Single(s => s.Path == bad);
        Assert.Equal("stopped", stopped.State);
        Assert.Equal("replica ftp: replica type \"ftp\" is not supported", stopped.LastError);
        Assert.Equal("replicating", statuses.Single(s => s.Path == good).State);
    }

    public new void Dispose()
    {
        base.Dispose();
        _dir.Dispose();
    }

    private string NewDatabase(string name)
    {
        var db = _dir.File(name);
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(new Random(name.Length), 10));
        return db;
    }

    private static LitestreamSettings Settings(string db, ReplicaEndpoint endpoint) => new(
    [
        new DatabaseSettings(db, [new ReplicaSettings("file", endpoint)]) { MonitorInterval = TimeSpan.FromMilliseconds(100) },
    ]);

    private static IReadOnlyList<DatabaseStatus> Status(IActorRef supervisor) =>
        supervisor.Ask<IReadOnlyList<DatabaseStatus>>(new LitestreamSupervisor.GetStatus(), TimeSpan.FromSeconds(10)).Result;
}
