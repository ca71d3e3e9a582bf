using Akka.Actor;
using Akka.Event;

namespace LitestreamActors.Actors.Watching;

/// <summary>
/// Tells databases when their WAL changes. One FileSystemWatcher per directory, shared by every database in it: each
/// watcher costs an inotify instance and the per-user limit is small (128 here). When no more can be had, that
/// directory falls back to polling at the monitor interval, with one warning.
/// </summary>
public sealed class WalWatcherActor : ReceiveActor
{
    private readonly Dictionary<string, FileSystemWatcher?> _watchers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<IActorRef>> _subscribers = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private bool _warnedAboutLimit;

    public WalWatcherActor()
    {
        Receive<Watch>(message =>
        {
            var path = Path.GetFullPath(message.FilePath);
            if (!_subscribers.TryGetValue(path, out var list))
            {
                _subscribers[path] = list = [];
            }
            list.Add(message.Subscriber);
            Context.Watch(message.Subscriber);
            EnsureWatcher(Path.GetDirectoryName(path)!);
        });
        Receive<Changed>(message =>
        {
            if (_subscribers.TryGetValue(message.FilePath, out var list))
            {
                list.ForEach(s => s.Tell(WalChanged.Instance));
            }
        });
        Receive<Terminated>(message =>
        {
            foreach (var list in _subscribers.Values)
            {
                list.Remove(message.ActorRef);
            }
        });
    }

    public static Props Props() => Akka.Actor.Props.Create<WalWatcherActor>();

    protected override void PostStop()
    {
        foreach (var watcher in _watchers.Values)
        {
            watcher?.Dispose();
        }
    }

    private void EnsureWatcher(string directory)
    {
        if (_watchers.ContainsKey(directory))
        {
            return;
        }
        var self = Self;
        try
        {
            var watcher = new FileSystemWatcher(directory)
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName,
                IncludeSubdirectories = false,
            };
            watcher.Changed += (_, e) => self.Tell(new Changed(e.FullPath));
            watcher.Created += (_, e) => self.Tell(new Changed(e.FullPath));
            watcher.EnableRaisingEvents = true;
            _watchers[directory] = watcher;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            _watchers[directory] = null;
            if (!_warnedAboutLimit)
            {
                _warnedAboutLimit = true;
                _log.Warning("cannot watch {0} for changes ({1}); databases there are polled at their monitor interval", directory, e.Message);
            }
        }
    }

    /// <summary>Tell <see cref="Subscriber"/> whenever the file at <see cref="FilePath"/> (a WAL) changes.</summary>
    public sealed record Watch(string FilePath, IActorRef Subscriber);

    private sealed record Changed(string FilePath);
}
