using Akka.Actor;
using Akka.Event;

namespace LitestreamActors.Actors.Watching;

/// <summary>
/// Tells databases when their WAL changes. One FileSystemWatcher per directory, shared by every database in it: each
/// watcher costs an inotify instance and the per-user limit is small (128 here). When no more can be had, that
/// directory falls back to polling at the monitor interval, with one warning.
/// Notifications are one-shot: a database is told once, then not again until it re-arms (when a capture finds nothing
/// new). While every database of a directory is busy its watch is off, so a busy writer does not pay for an event per
/// write; the monitor interval drives capture then.
/// </summary>
public sealed class WalWatcherActor : ReceiveActor
{
    private readonly Dictionary<string, FileSystemWatcher?> _watchers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<IActorRef, bool>> _subscribers = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private bool _warnedAboutLimit;

    public WalWatcherActor()
    {
        Receive<Watch>(message =>
        {
            var path = Path.GetFullPath(message.FilePath);
            if (!_subscribers.TryGetValue(path, out var subscribers))
            {
                _subscribers[path] = subscribers = [];
            }
            subscribers[message.Subscriber] = true;
            Context.Watch(message.Subscriber);
            EnsureWatcher(Path.GetDirectoryName(path)!);
        });
        Receive<Arm>(message =>
        {
            var path = Path.GetFullPath(message.FilePath);
            if (_subscribers.TryGetValue(path, out var subscribers) && subscribers.ContainsKey(message.Subscriber))
            {
                subscribers[message.Subscriber] = true;
                SetEnabled(Path.GetDirectoryName(path)!, true);
            }
        });
        Receive<Changed>(message =>
        {
            if (!_subscribers.TryGetValue(message.FilePath, out var subscribers))
            {
                return;
            }
            foreach (var subscriber in subscribers.Where(s => s.Value).Select(s => s.Key).ToList())
            {
                subscriber.Tell(WalChanged.Instance);
                subscribers[subscriber] = false;
            }
            var directory = Path.GetDirectoryName(message.FilePath)!;
            if (!_subscribers.Where(s => Path.GetDirectoryName(s.Key) == directory).Any(s => s.Value.Values.Any(armed => armed)))
            {
                SetEnabled(directory, false);
            }
        });
        Receive<Terminated>(message =>
        {
            foreach (var subscribers in _subscribers.Values)
            {
                subscribers.Remove(message.ActorRef);
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

    private void SetEnabled(string directory, bool enabled)
    {
        if (_watchers.GetValueOrDefault(directory) is { } watcher && watcher.EnableRaisingEvents != enabled)
        {
            try
            {
                watcher.EnableRaisingEvents = enabled;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _watchers[directory] = null;
                watcher.Dispose();
                WarnOnce(directory, e.Message);
            }
        }
    }

    private void EnsureWatcher(string directory)
    {
        if (_watchers.ContainsKey(directory))
        {
            SetEnabled(directory, true);
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
            WarnOnce(directory, e.Message);
        }
    }

    private void WarnOnce(string directory, string reason)
    {
        if (!_warnedAboutLimit)
        {
            _warnedAboutLimit = true;
            _log.Warning("cannot watch {0} for changes ({1}); databases there are polled at their monitor interval", directory, reason);
        }
    }

    /// <summary>Tell <see cref="Subscriber"/> when the file at <see cref="FilePath"/> (a WAL) changes.</summary>
    public sealed record Watch(string FilePath, IActorRef Subscriber);

    /// <summary>The subscriber has caught up: tell it about the next change.</summary>
    public sealed record Arm(string FilePath, IActorRef Subscriber);

    private sealed record Changed(string FilePath);
}
