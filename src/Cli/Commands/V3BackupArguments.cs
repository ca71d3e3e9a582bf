using LitestreamActors.Cli.Flags;
using LitestreamActors.Storage.V3;

namespace LitestreamActors.Cli.Commands;

/// <summary>
/// What the 0.3 listing commands (<c>generations</c>, <c>snapshots</c>, <c>wal</c> on a 0.3 backup) take: a database
/// from the config or a replica URL, -replica, -generation to narrow the listing, -json.
/// </summary>
internal sealed class V3BackupArguments
{
    private readonly ConfigArguments _config;
    private readonly Func<string?> _replica;
    private readonly Func<string?> _generation;
    private readonly Func<bool> _json;
    private readonly FlagSet _flags;

    public V3BackupArguments(FlagSet flags)
    {
        _flags = flags;
        _config = new ConfigArguments(flags);
        _replica = flags.OptionalString("replica");
        _generation = flags.OptionalString("generation");
        _json = flags.Bool("json");
    }

    public const string Help = """
            -replica NAME
                Lists the replica of that name when a database has several.

            -generation NAME
                Lists only this generation.

            -json
                Prints a JSON array instead of a table.
        """;

    public bool Json => _json();

    public string? Generation => _generation();

    /// <summary>Parses the command line, then lists the replica's 0.3 backup.</summary>
    public async Task<(ReplicaSource Source, V3Backup Backup)> LoadAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var argument = _flags.ParseDatabaseOrReplica(args);
        var source = ReplicaSource.Resolve(argument, _config.Path, !_config.ExpandEnvironment, _replica());
        try
        {
            return (source, await V3Backup.ListAsync(source.Client, cancellationToken));
        }
        catch
        {
            await source.DisposeAsync();
            throw;
        }
    }

    public bool Includes(string generation) => _generation() is not { } wanted || wanted == generation;
}
