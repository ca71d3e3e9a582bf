using Akka.Actor;
using LitestreamActors.Actors.Control;
using LitestreamActors.Actors.Settings;

namespace LitestreamActors.Actors.Watching;

/// <summary>
/// Follows a watched <c>dir:</c> entry (<c>watch: true</c>): lists it every <see cref="DatabaseDirectory.ScanInterval"/>
/// and tells the supervisor which databases it holds whenever that changes. A file counts once its SQLite header is
/// written, and counts as gone only when two listings in a row miss it, so a database replaced by a rename is not
/// dropped and added again (docs/replication.md, "Directories"). Lists on the I/O dispatcher.
/// </summary>
public sealed class DirectoryWatcherActor : ReceiveActor, IWithTimers
{
    private readonly DatabaseDirectory _directory;
    private readonly IActorRef _supervisor;
    private IReadOnlySet<string> _previous;
    private IReadOnlySet<string> _reported = new HashSet<string>(StringComparer.Ordinal);

    /// <param name="replicated">The databases the node replicates already: their files are not opened to read a header.</param>
    public DirectoryWatcherActor(DatabaseDirectory directory, IActorRef supervisor, IReadOnlySet<string> replicated)
    {
        _directory = directory;
        _supervisor = supervisor;
        _previous = replicated;
        Receive<Tick>(_ => Scan());
        // The supervisor answers each removal it carries out; nothing here waits for it.
        Receive<ControlOutcome>(_ => { });
        Receive<ControlError>(_ => { });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(DatabaseDirectory directory, IActorRef supervisor, IReadOnlySet<string> replicated) =>
        Akka.Actor.Props.Create(() => new DirectoryWatcherActor(directory, supervisor, replicated)).WithDispatcher(Dispatchers.Io);

    // The first listing is reported in full: the supervisor adopts whatever appeared since its own listing at start.
    // Until then the databases it replicates count as listed, so the first listing does not open them either.
    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("scan", new Tick(), _directory.ScanInterval);
    }

    private void Scan()
    {
        var current = _directory.Scan(_previous).ToHashSet(StringComparer.Ordinal);
        var present = current.Union(_previous).ToHashSet(StringComparer.Ordinal);
        _previous = current;
        if (!present.SetEquals(_reported))
        {
            _reported = present;
            _supervisor.Tell(new Found(_directory, [.. present.Order(StringComparer.Ordinal)]));
        }
    }

    /// <summary>The databases the directory holds now (or held at the listing before).</summary>
    public sealed record Found(DatabaseDirectory Directory, IReadOnlyList<string> Paths);

    private sealed record Tick;
}
