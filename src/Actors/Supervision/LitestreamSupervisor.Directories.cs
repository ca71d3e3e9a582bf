using Akka.Actor;
using Akka.Event;
using LitestreamActors.Actors.Control;
using LitestreamActors.Actors.Watching;

namespace LitestreamActors.Actors.Supervision;

// dir: entries (docs/replication.md, "Directories"): the databases found at start replicate like path: entries; a
// watched directory's DirectoryWatcherActor reports what it holds, and the databases come and go with their files.
public sealed partial class LitestreamSupervisor
{
    private void AdoptDirectories()
    {
        foreach (var directory in _settings.Directories)
        {
            foreach (var path in directory.Scan().Where(p => !_databases.ContainsKey(p)))
            {
                _databases[path] = new DatabaseEntry(directory.For(path)) { Origin = directory };
            }
            if (directory.Watch)
            {
                Context.ActorOf(DirectoryWatcherActor.Props(directory, Self, _databases.Keys.Where(directory.Covers).ToHashSet(StringComparer.Ordinal)), "dir-" + ChildName(directory.Directory + "\n" + directory.Pattern.Text)[3..]);
            }
        }
    }

    private void ReceiveDirectoryMessages()
    {
        Receive<DirectoryWatcherActor.Found>(message =>
        {
            var present = message.Paths.ToHashSet(StringComparer.Ordinal);
            foreach (var path in message.Paths.Where(p => !_databases.ContainsKey(p)))
            {
                _databases[path] = new DatabaseEntry(message.Directory.For(path)) { Origin = message.Directory };
                Spawn(path);
                _log.Info("database {0} found in {1}: replicating", path, message.Directory.Directory);
            }
            var gone = _databases
                .Where(d => ReferenceEquals(d.Value.Origin, message.Directory) && !present.Contains(d.Key) && d.Value.State != DatabaseLifecycle.Stopping)
                .Select(d => d.Key)
                .ToList();
            foreach (var path in gone)
            {
                _log.Info("database {0} is gone from {1}: no longer replicated", path, message.Directory.Directory);
                BeginStop(path, DirectoryStopTimeout, unregister: true);
            }
        });
    }

    // A database of a dir: entry leaves no trace in the journal: its file decides whether it is there.
    private void ReplyUnregistered(DatabaseEntry entry, IActorRef replyTo, ulong? txid)
    {
        var path = entry.Settings.Path;
        Forget(path);
        var reply = new ControlOutcome("unregistered", path, txid);
        if (entry.Origin is null)
        {
            RecordThenReply(new ControlStateActor.Unregistered(path), replyTo, reply);
        }
        else
        {
            replyTo.Tell(reply);
        }
    }

    // A vanished file has nothing left to sync; the bound only keeps its actors from waiting long for that.
    private static readonly TimeSpan DirectoryStopTimeout = TimeSpan.FromSeconds(5);
}
