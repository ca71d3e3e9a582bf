using LitestreamActors.Cli.Flags;
using LitestreamActors.Node.Configuration;
using LitestreamActors.Storage.Capture;

namespace LitestreamActors.Cli.Commands;

/// <summary>
/// <c>litestream reset</c>, as upstream: removes a database's local state (its local L0 files, and our kept page state)
/// so the next start begins with a full L0 file. The database and its replicas are untouched. Refused while a node
/// replicates the database.
/// </summary>
internal sealed class ResetCommand : ICommand
{
    public string Name => "reset";

    public string Summary => "Remove a database's local replication state";

    public string Usage => $$"""
        The reset command removes the local state kept beside a database (its local LTX files),
        so the next replicate starts over with a full copy. The database file and the replicas
        are not touched.

        Usage:

            litestream reset [arguments] DB_PATH

        Arguments:

        {{ConfigArguments.Help}}

            -dry-run
                Lists what would be removed, and removes nothing.
        """;

    public Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context, CancellationToken cancellationToken)
    {
        var flags = new FlagSet(Name);
        var config = new ConfigArguments(flags);
        var dryRun = flags.Bool("dry-run");
        flags.Parse(args);
        if (flags.Arguments.Count != 1)
        {
            throw new UsageException(flags.Arguments.Count == 0 ? "database path required" : "too many arguments");
        }
        var path = PathExpander.DatabasePath(flags.Arguments[0]);
        if (!File.Exists(path))
        {
            throw new Storage.StorageException($"database not found: {path}");
        }
        // The config is read only when given: it may set the database's meta-path.
        var settings = config.Path is { Length: > 0 } file ? ConfigLoader.LoadFile(file, config.ExpandEnvironment).FindDatabase(path) : null;
        var metaPath = settings?.ResolvedMetaPath ?? new Actors.Settings.DatabaseSettings(path, []).ResolvedMetaPath;
        var targets = new[] { Path.Combine(metaPath, "ltx"), PageStateFile.PathIn(metaPath) }.Where(t => Directory.Exists(t) || File.Exists(t)).ToList();
        if (targets.Count == 0)
        {
            context.Out.WriteLine($"No local state to reset for: {path}");
            return Task.FromResult(0);
        }
        if (dryRun())
        {
            foreach (var target in targets)
            {
                IEnumerable<string> files = Directory.Exists(target) ? Directory.GetFiles(target, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal) : [target];
                foreach (var entry in files)
                {
                    context.Out.WriteLine($"would remove {entry}");
                }
            }
            return Task.FromResult(0);
        }
        using (LocalStateLock.Acquire(metaPath, path))
        {
            context.Out.WriteLine($"Resetting local Litestream state for: {path}");
            foreach (var target in targets)
            {
                if (Directory.Exists(target))
                {
                    Directory.Delete(target, recursive: true);
                }
                else
                {
                    File.Delete(target);
                }
            }
        }
        context.Out.WriteLine("Reset complete. The next replicate starts with a full copy of the database.");
        return Task.FromResult(0);
    }
}
