using System.Globalization;
using LitestreamActors.Actors.Settings;
using LitestreamActors.Storage.Replica;
using LitestreamActors.Storage.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LitestreamActors.Node.Configuration;

/// <summary>
/// Reads a Litestream YAML config into settings: global keys, <c>dbs[]</c> with a single <c>replica:</c> or the older
/// <c>replicas:</c> list. Every problem is one line naming the file and the line.
/// </summary>
public sealed partial class ConfigLoader
{
    private readonly string _source;
    // Every replica starts from these: the settings record's defaults, with the global sections applied.
    private ReplicaSettings _replicaDefaults = new("replica", new ReplicaEndpoint(string.Empty, null, null));
    private readonly DatabaseSettings _databaseDefaults = new(string.Empty, []);
    private TimeSpan? _captureCheckInterval;
    private readonly List<string> _warnings = [];

    private ConfigLoader(string source) => _source = source;

    public static NodeSettings LoadFile(string path, bool expandEnvironment)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ConfigException($"config file not found: {path}");
        }
        catch (UnauthorizedAccessException) when (Directory.Exists(path))
        {
            throw new ConfigException($"config file {path} is a directory");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"cannot read config file {path}: {e.Message}");
        }
        return Parse(expandEnvironment ? EnvironmentExpander.ExpandFromProcess(text) : text, path);
    }

    public static NodeSettings Parse(string text, string sourceName) => new ConfigLoader(sourceName).ParseDocument(text);

    private NodeSettings ParseDocument(string text)
    {
        if (YamlProblems.TabIndentation(text) is var (tabLine, tab))
        {
            throw new ConfigException($"{_source}: line {tabLine}: {tab}");
        }
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ConfigException($"{_source}: line {e.Start.Line}: {YamlProblems.Explain(e.Message)}");
        }
        catch (InvalidOperationException)
        {
            // The YAML parser's own state error on some unclosed flow collections, which carries no position.
            throw new ConfigException($"{_source}: not valid YAML: look for an unclosed [, {{ or quote");
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return new NodeSettings(new LitestreamSettings([]));
        }
        var root = stream.Documents[0].RootNode as YamlMappingNode
            ?? throw Error(stream.Documents[0].RootNode, "the config must be a mapping of keys");
        CheckKeys(root, ConfigKeys.Global);
        var defaults = _replicaDefaults;
        if (Child(root, "levels") is { } levels)
        {
            defaults = defaults with { Levels = ParseLevels(levels) };
        }
        if (Child(root, "snapshot") is { } snapshot)
        {
            var section = AsMapping(snapshot, "snapshot");
            CheckKeys(section, new ConfigKeys("snapshot", new HashSet<string> { "interval", "retention" }, new HashSet<string>()));
            defaults = defaults with
            {
                SnapshotInterval = PositiveDuration(section, "interval") ?? defaults.SnapshotInterval,
                SnapshotRetention = Duration(section, "retention") ?? defaults.SnapshotRetention,
            };
        }
        defaults = defaults with
        {
            L0Retention = Duration(root, "l0-retention") ?? defaults.L0Retention,
            L0RetentionCheckInterval = Duration(root, "l0-retention-check-interval") is { } check && check > TimeSpan.Zero ? check : defaults.L0RetentionCheckInterval,
        };
        if (defaults.L0Retention < TimeSpan.Zero)
        {
            throw Error(Child(root, "l0-retention")!, "l0-retention cannot be negative");
        }
        if (Child(root, "retention") is { } retention)
        {
            var section = AsMapping(retention, "retention");
            CheckKeys(section, new ConfigKeys("retention", new HashSet<string> { "enabled" }, new HashSet<string>()));
            defaults = defaults with { RetentionEnabled = Boolean(section, "enabled", "retention.enabled") ?? true };
            if (!defaults.RetentionEnabled)
            {
                _warnings.Add($"{_source}: retention.enabled is false: replica files are never deleted (expect the storage's lifecycle rules to)");
            }
        }
        if (Child(root, "verify") is { } verify)
        {
            var section = AsMapping(verify, "verify");
            CheckKeys(section, new ConfigKeys("verify", new HashSet<string> { "interval", "capture-check-interval" }, new HashSet<string>()));
            defaults = defaults with { DrillInterval = PositiveDuration(section, "interval") };
            _captureCheckInterval = PositiveDuration(section, "capture-check-interval");
            if (defaults.DrillInterval is null && _captureCheckInterval is null)
            {
                throw Error(section, "verify needs an interval (restore drills, for example interval: 1h) or a capture-check-interval");
            }
        }
        _replicaDefaults = defaults;

        var entries = new List<(DatabaseSettings Settings, IReadOnlyList<ReplicaNames.Entry> Names)>();
        var directories = new List<DatabaseDirectory>();
        if (Child(root, "dbs") is { } dbs)
        {
            foreach (var entry in AsSequence(dbs, "dbs").Children.Select(e => AsMapping(e, "a dbs entry")))
            {
                if (Child(entry, "dir") is null)
                {
                    entries.Add(ParseDatabase(entry));
                }
                else
                {
                    directories.Add(ParseDirectory(entry));
                }
            }
        }
        // Several entries for one path become one database with every replica (one capture, many targets), named
        // once they are together.
        var databases = entries
            .GroupBy(d => d.Settings.Path, StringComparer.Ordinal)
            .Select(g => Named(g.First().Settings, [.. g.SelectMany(d => d.Settings.Replicas)], [.. g.SelectMany(d => d.Names)]))
            .ToList();
        // Two entries writing to one place would interleave two histories in one replica.
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var database in databases)
        {
            foreach (var replica in database.Replicas)
            {
                var key = replica.Endpoint.TargetKey();
                if (!targets.TryAdd(key, database.Path))
                {
                    throw new ConfigException($"{_source}: the replica target {key} appears twice (for {targets[key]} and {database.Path}); each replica needs its own location");
                }
            }
        }
        var (execCommand, execHooks) = Child(root, "exec") is { } exec ? ParseExec(exec) : (null, []);
        var clustered = Child(root, "cluster") is { } cluster ? ParseCluster(AsMapping(cluster, "cluster")) : null;
        var ownership = clustered is null ? ReplicaOwnership.Local : new ReplicaOwnership(true, clustered.LeaseTimeToLive);
        var standbys = Child(root, "standbys") is { } standbyList ? ParseStandbys(AsSequence(standbyList, "standbys"), databases, clustered is not null) : [];
        return new NodeSettings(new LitestreamSettings(databases) { Directories = directories, ReplicaDefaults = _replicaDefaults, ExecHooks = execHooks, Ownership = ownership, Standbys = standbys })
        {
            Control = ParseControl(root),
            Logging = Child(root, "logging") is { } logging ? ParseLogging(AsMapping(logging, "logging")) : LoggingSettings.Default,
            ExecCommand = execCommand,
            Cluster = clustered,
            Warnings = _warnings.Distinct().ToList(),
        };
    }

    private DatabaseSettings Named(DatabaseSettings database, List<ReplicaSettings> replicas, List<ReplicaNames.Entry> entries)
    {
        var (names, conflict) = ReplicaNames.Assign(entries);
        if (conflict is not null)
        {
            throw new ConfigException(
                $"{_source}: lines {conflict.FirstLine} and {conflict.SecondLine}: two replicas of {database.Path} are named \"{conflict.Name}\"; replica names must be unique per database");
        }
        return database with { Replicas = [.. replicas.Select((replica, i) => replica with { Name = names![i] })] };
    }

    private (DatabaseSettings Settings, IReadOnlyList<ReplicaNames.Entry> Names) ParseDatabase(YamlMappingNode node)
    {
        CheckKeys(node, ConfigKeys.Database);
        var path = Scalar(node, "path") is { Length: > 0 } given ? PathExpander.DatabasePath(given) : throw Error(node, "a dbs entry needs a path (or a dir and a pattern)");
        foreach (var key in new[] { "pattern", "recursive", "watch", "meta-dir" })
        {
            if (Child(node, key) is { } onlyWithDir)
            {
                throw Error(onlyWithDir, $"{key} is only allowed with dir (a directory of databases), not with path");
            }
        }
        return ParseDatabaseAt(node, path);
    }

    private (DatabaseSettings Settings, IReadOnlyList<ReplicaNames.Entry> Names) ParseDatabaseAt(YamlMappingNode node, string path)
    {
        var replicas = new List<(ReplicaSettings Settings, ReplicaNames.Entry Name)>();
        if (Child(node, "replica") is { } single)
        {
            replicas.Add(ParseReplica(AsMapping(single, "replica")));
        }
        if (Child(node, "replicas") is { } list)
        {
            foreach (var entry in AsSequence(list, "replicas").Children)
            {
                replicas.Add(ParseReplica(AsMapping(entry, "a replicas entry")));
            }
        }
        var defaults = _databaseDefaults;
        return (new DatabaseSettings(path, [.. replicas.Select(r => r.Settings)])
        {
            MetaPath = Scalar(node, "meta-path") is { } meta ? meta.Length > 0 ? PathExpander.Absolute(meta) : throw Error(Child(node, "meta-path")!, "meta-path is empty") : null,
            MonitorInterval = Duration(node, "monitor-interval") ?? defaults.MonitorInterval,
            CheckpointInterval = Duration(node, "checkpoint-interval") ?? defaults.CheckpointInterval,
            MinCheckpointPageCount = Integer(node, "min-checkpoint-page-count") ?? defaults.MinCheckpointPageCount,
            TruncatePageCount = Integer(node, "truncate-page-n") ?? defaults.TruncatePageCount,
            BusyTimeout = Duration(node, "busy-timeout") ?? defaults.BusyTimeout,
            CaptureCheckInterval = _captureCheckInterval ?? defaults.CaptureCheckInterval,
            RestoreIfMissing = Boolean(node, "restore-if-db-not-exists", "restore-if-db-not-exists") ?? false,
            MaxLocalLtxBytes = Scalar(node, "max-local-ltx-bytes") is { } budget
                ? ByteSize.TryParse(budget, out var bytes) && bytes > 0 ? bytes : throw Error(Child(node, "max-local-ltx-bytes")!, $"invalid size \"{budget}\" for max-local-ltx-bytes (examples: 512MB, 1GiB)")
                : defaults.MaxLocalLtxBytes,
        }, [.. replicas.Select(r => r.Name)]);
    }

    // The replica's settings, its name still to be given (ReplicaNames) once every entry of its database is known.
    private (ReplicaSettings Settings, ReplicaNames.Entry Name) ParseReplica(YamlMappingNode node)
    {
        CheckKeys(node, ConfigKeys.Replica);
        var url = Scalar(node, "url");
        var type = Scalar(node, "type") ?? string.Empty;
        var path = Scalar(node, "path");
        if (url is null && type is "" or "file" && path is null)
        {
            throw Error(node, "a replica needs a url, or a type and a path");
        }
        if (path is not null && ReplicaUrl.IsUrl(path))
        {
            throw Error(Child(node, "path")!, $"path is a URL ({ReplicaUrl.Redact(path)}): write it as url: instead");
        }
        if (url is "")
        {
            throw Error(Child(node, "url")!, "url is empty");
        }
        if (url is null && path is not null && type is "" or "file")
        {
            path = path.Length > 0 ? PathExpander.Absolute(path) : throw Error(Child(node, "path")!, "a file replica's path is empty");
        }
        var name = new ReplicaNames.Entry(Scalar(node, "name"), type.Length > 0 ? type : ReplicaUrl.SchemeOf(url) ?? "file", (int)node.Start.Line);
        var options = ConfigKeys.BackendOptions
            .Select(key => (key, value: key == "root-cas" ? ScalarOrList(node, key) : Scalar(node, key)))
            .Where(o => o.value is not null)
            .ToDictionary(o => o.key, o => o.value!, StringComparer.Ordinal);
        var defaults = _replicaDefaults;
        return (defaults with
        {
            Name = name.Explicit ?? name.Type,
            Endpoint = new ReplicaEndpoint(type, url, path) { Options = options },
            SyncInterval = Duration(node, "sync-interval") ?? defaults.SyncInterval,
            SnapshotInterval = PositiveDuration(node, "snapshot-interval") ?? defaults.SnapshotInterval,
            SnapshotRetention = PositiveDuration(node, "retention") ?? defaults.SnapshotRetention,
        }, name);
    }

    // addr, the control socket (ours is on by default at a private path), mcp-addr, and the token off-loopback binds need.
    private ControlSettings ParseControl(YamlMappingNode root)
    {
        var token = Scalar(root, "api-token") is { Length: > 0 } configured ? configured
            : Environment.GetEnvironmentVariable("LITESTREAM_API_TOKEN") is { Length: > 0 } fromEnvironment ? fromEnvironment : null;
        var addr = Scalar(root, "addr") is { Length: > 0 } a ? CheckListen(root, "addr", a, token) : null;
        var mcpAddr = Scalar(root, "mcp-addr") is { Length: > 0 } m ? CheckListen(root, "mcp-addr", m, token) : null;
        string? socketPath = DefaultSocketPath.For(_source);
        var permissions = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        if (Child(root, "socket") is { } socket)
        {
            var section = AsMapping(socket, "socket");
            CheckKeys(section, new ConfigKeys("socket", new HashSet<string> { "enabled", "path", "permissions" }, new HashSet<string>()));
            socketPath = Boolean(section, "enabled", "socket.enabled") == false ? null
                : Scalar(section, "path") is { Length: > 0 } path ? PathExpander.Absolute(path) : socketPath;
            if (Scalar(section, "permissions") is { } mode)
            {
                permissions = TryOctal(mode, out var parsed) ? parsed : throw Error(Child(section, "permissions")!, $"socket.permissions must be octal such as 0600, not \"{mode}\"");
            }
        }
        string? restoreDirectory = null;
        if (Child(root, "mcp") is { } mcp)
        {
            var section = AsMapping(mcp, "mcp");
            CheckKeys(section, new ConfigKeys("mcp", new HashSet<string> { "restore-dir" }, new HashSet<string>()));
            restoreDirectory = Scalar(section, "restore-dir") is { Length: > 0 } dir ? PathExpander.Absolute(dir) : null;
        }
        return new ControlSettings
        {
            Addr = addr,
            SocketPath = socketPath,
            SocketPermissions = permissions,
            Token = token,
            McpAddr = mcpAddr,
            McpRestoreDirectory = restoreDirectory,
            DataDirectory = Scalar(root, "data-dir") is { Length: > 0 } data ? PathExpander.Absolute(data) : DefaultDataDirectory.For(_source),
        };
    }

    private LoggingSettings ParseLogging(YamlMappingNode node)
    {
        CheckKeys(node, new ConfigKeys("logging", new HashSet<string> { "level", "type", "stderr", "file" }, new HashSet<string>()));
        var level = Scalar(node, "level");
        if (level is not null && level.ToLowerInvariant() is not ("trace" or "debug" or "info" or "warn" or "warning" or "error"))
        {
            throw Error(Child(node, "level")!, $"invalid logging.level \"{level}\": expected debug, info, warn or error");
        }
        var type = Scalar(node, "type") ?? "text";
        if (type is not ("text" or "json"))
        {
            throw Error(Child(node, "type")!, $"invalid logging.type \"{type}\": expected text or json");
        }
        var stderr = Boolean(node, "stderr", "logging.stderr") ?? true;
        return new LoggingSettings(level, type == "json", stderr, Scalar(node, "file") is { Length: > 0 } file ? PathExpander.Absolute(file) : null);
    }

    private string CheckListen(YamlMappingNode root, string key, string value, string? token)
    {
        try
        {
            var address = Control.ListenAddress.Parse(value, key);
            return address.IsLoopback || token is not null
                ? value
                : throw Error(Child(root, key)!, $"{key} \"{value}\" listens beyond this machine: set api-token (or LITESTREAM_API_TOKEN) so requests need a bearer token");
        }
        catch (ConfigException e) when (!e.Message.StartsWith(_source, StringComparison.Ordinal))
        {
            throw Error(Child(root, key)!, e.Message);
        }
    }

    private static bool TryOctal(string text, out UnixFileMode mode)
    {
        mode = default;
        if (text.Length is 0 or > 4 || text.Any(c => c is < '0' or > '7'))
        {
            return false;
        }
        mode = (UnixFileMode)Convert.ToInt32(text, 8);
        return true;
    }

    // levels[i] defines level i+1; upstream allows up to 8, each with a positive interval. A retention is ours.
    private IReadOnlyList<CompactionLevel> ParseLevels(YamlNode node)
    {
        var list = AsSequence(node, "levels");
        if (list.Children.Count > 8)
        {
            throw Error(list, "levels holds at most 8 entries (levels 1 to 8)");
        }
        return list.Children.Select(entry =>
        {
            var level = AsMapping(entry, "a levels entry");
            CheckKeys(level, new ConfigKeys("a levels entry", new HashSet<string> { "interval", "retention" }, new HashSet<string>()));
            return new CompactionLevel(
                PositiveDuration(level, "interval") ?? throw Error(level, "a levels entry needs an interval above zero"),
                PositiveDuration(level, "retention"));
        }).ToList();
    }

    // A string runs the application (upstream); a list of {cmd: [argv…], on: event, timeout} runs hooks (ours).
    private (string?, IReadOnlyList<ExecHook>) ParseExec(YamlNode node)
    {
        if (node is YamlScalarNode { Value: { Length: > 0 } command })
        {
            return (command, []);
        }
        var hooks = AsSequence(node, "exec (a command, or a list of {cmd: [...]} hooks)").Children.Select(entry =>
        {
            var hook = AsMapping(entry, "an exec entry");
            CheckKeys(hook, new ConfigKeys("an exec entry", new HashSet<string> { "cmd", "on", "timeout" }, new HashSet<string>()));
            var argv = Child(hook, "cmd") is YamlSequenceNode list
                ? list.Children.Select(a => (a as YamlScalarNode)?.Value ?? throw Error(a, "cmd must list plain words")).ToList()
                : throw Error(hook, "an exec entry needs cmd: a list such as [\"/usr/local/bin/notify\", \"started\"]");
            if (argv.Count == 0 || argv[0].Length == 0)
            {
                throw Error(hook, "an exec entry's cmd needs at least the program");
            }
            var on = Scalar(hook, "on") ?? "started";
            if (!ExecHook.Events.Contains(on))
            {
                throw Error(Child(hook, "on")!, $"unknown exec event \"{on}\" (one of: {string.Join(", ", ExecHook.Events.Order(StringComparer.Ordinal))})");
            }
            return new ExecHook(argv, on, PositiveDuration(hook, "timeout") ?? TimeSpan.FromSeconds(30));
        }).ToList();
        return (null, hooks);
    }

    private void CheckKeys(YamlMappingNode node, ConfigKeys keys)
    {
        foreach (var (keyNode, _) in node.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? throw Error(keyNode, "keys must be plain names");
            if (keys.Implemented.Contains(key))
            {
                continue;
            }
            if (keys.Refused.TryGetValue(key, out var refusal))
            {
                throw Error(keyNode, refusal);
            }
            if (keys.NotYetImplemented.Contains(key))
            {
                _warnings.Add($"{_source}: line {keyNode.Start.Line}: \"{key}\" in {keys.Section} is not supported by this version yet and is ignored");
                continue;
            }
            var hint = keys.Suggest(key) is { } suggestion ? $" (did you mean \"{suggestion}\"?)" : string.Empty;
            throw Error(keyNode, $"unknown key \"{key}\" in {keys.Section}{hint}");
        }
    }

    private TimeSpan? Duration(YamlMappingNode node, string key)
    {
        if (Scalar(node, key) is not { } text)
        {
            return null;
        }
        return GoDuration.TryParse(text, out var value) && value >= TimeSpan.Zero
            ? value
            : throw Error(Child(node, key)!, $"invalid duration \"{text}\" for {key} (examples: 500ms, 1s, 5m, 24h)");
    }

    private TimeSpan? PositiveDuration(YamlMappingNode node, string key) => Duration(node, key) switch
    {
        null => null,
        { } value when value > TimeSpan.Zero => value,
        _ => throw Error(Child(node, key)!, $"{key} must be above zero"),
    };

    private bool? Boolean(YamlMappingNode node, string key, string name) => Scalar(node, key) switch
    {
        null => null,
        var text when bool.TryParse(text, out var value) => value,
        var text => throw Error(Child(node, key)!, $"{name} must be true or false, not \"{text}\""),
    };

    private int? Integer(YamlMappingNode node, string key)
    {
        if (Scalar(node, key) is not { } text)
        {
            return null;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Error(Child(node, key)!, $"invalid number \"{text}\" for {key}");
    }

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is not YamlScalarNode { Value: null } ? value : null;

    private string? Scalar(YamlMappingNode node, string key) => Child(node, key) switch
    {
        null => null,
        YamlScalarNode scalar => scalar.Value,
        var other => throw Error(other, $"{key} must be a single value"),
    };

    // A list travels to the backend as one option, its entries one per line.
    private string? ScalarOrList(YamlMappingNode node, string key) => Child(node, key) is YamlSequenceNode list
        ? string.Join('\n', list.Children.Select(item => (item as YamlScalarNode)?.Value ?? throw Error(item, $"{key} must list single values")))
        : Scalar(node, key);

    private YamlSequenceNode AsSequence(YamlNode node, string what) =>
        node as YamlSequenceNode ?? throw Error(node, $"{what} must be a list");

    private YamlMappingNode AsMapping(YamlNode node, string what) =>
        node as YamlMappingNode ?? throw Error(node, $"{what} must be a mapping of keys");

    private ConfigException Error(YamlNode node, string message) => new($"{_source}: line {node.Start.Line}: {message}");
}
