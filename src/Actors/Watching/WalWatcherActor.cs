using Akka.Actor;
using Akka.Event;

namespace LitestreamActors.Actors.Watching;

/// <summary>
/// Tells databases when their WAL changes. One inotify watch per directory, shared by every database in it, all on
/// one inotify instance and one thread (<see cref="InotifyWatcher"/>). When the system allows no more watches, that
/// directory falls back to polling at the monitor interval, with one warning.
/// Notifications are one-shot: a database is told once, then not again until it re-arms (when a capture finds nothing
/// new). While every database of a directory is busy its watch is off, so a busy writer does not pay for an event per
/// write; the monitor interval drives capture then.
/// </summary>
public sealed class WalWatcherActor : ReceiveActor
{
    // Each directory asked for: its watch while enabled, -1 while its databases are all busy, null when it cannot be watched.
    private readonly Dictionary<string, int?> _watches = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<IActorRef, bool>> _subscribers = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private bool _warnedAboutLimit;
    private InotifyWatcher? _inotify;

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

    protected override void PreStart()
    {
        var self = Self;
        try
        {
            _inotify = new InotifyWatcher(path => self.Tell(new Changed(path)));
        }
        catch (IOException e)
        {
            WarnOnce("any directory", e.Message);
        }
    }

    protected override void PostStop() => _inotify?.Dispose();

    // Watching a directory costs an event per write to its files: off while all its databases are busy anyway.
    private void SetEnabled(string directory, bool enabled)
    {
        if (_watches.GetValueOrDefault(directory) is not { } wd || (wd >= 0) == enabled)
        {
            return;
        }
        if (!enabled)
        {
            _inotify!.Remove(wd);
            _watches[directory] = -1;
            return;
        }
        try
        {
            _watches[directory] = _inotify!.Add(directory);
        }
        catch (IOException e)
        {
            _watches[directory] = null;
            WarnOnce(directory, e.Message);
        }
    }

    private void EnsureWatcher(string directory)
    {
        if (_watches.ContainsKey(directory))
        {
            SetEnabled(directory, true);
            return;
        }
        if (_inotify is null)
        {
            _watches[directory] = null;
            return;
        }
        _watches[directory] = -1;
        SetEnabled(directory, true);
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
