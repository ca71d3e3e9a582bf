using LitestreamActors.Cli.Flags;
using LitestreamActors.Node.Configuration;
using LitestreamActors.Storage.Replica;

namespace LitestreamActors.Cli.Commands;

/// <summary>
/// The replica a read command works on, named either by a replica URL or by a database path looked up in the config.
/// The command owns its client and disposes it when done.
/// </summary>
internal sealed record ReplicaSource(IReplicaClient Client, string? DatabasePath) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Client.DisposeAsync();

    public static ReplicaSource Resolve(string argument, string? configPath, bool noExpandEnv, string? replicaName)
    {
        if (ReplicaUrl.IsUrl(argument))
        {
            if (!string.IsNullOrEmpty(configPath))
            {
                throw new UsageException("cannot specify a replica URL and the -config flag");
            }
            return new ReplicaSource(ReplicaClientFactory.FromUrl(argument), null);
        }

        var settings = ConfigLoader.LoadFile(ConfigFile.Resolve(configPath), !noExpandEnv);
        var path = PathExpander.DatabasePath(argument);
        var database = settings.FindDatabase(path) ?? throw new ConfigException($"database not found in config: {path}");
        if (database.Replicas.Count == 0)
        {
            throw new ConfigException($"database has no replica: {path}");
        }
        var replica = replicaName is { Length: > 0 }
            ? database.Replicas.FirstOrDefault(r => r.Name == replicaName)
              ?? throw new ConfigException($"replica \"{replicaName}\" not found for database {path}")
            : database.Replicas[0];
        return new ReplicaSource(ReplicaClientFactory.Create(replica.Endpoint), path);
    }
}
