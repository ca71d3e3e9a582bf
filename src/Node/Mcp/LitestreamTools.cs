using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using LitestreamActors.Node.Configuration;
using LitestreamActors.Node.Control;
using LitestreamActors.Storage;
using LitestreamActors.Storage.Ltx;
using LitestreamActors.Storage.Replica;
using LitestreamActors.Storage.Restore;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace LitestreamActors.Node.Mcp;

/// <summary>
/// The MCP tools, upstream's names, answered in-process (upstream shells out to a binary on PATH) with JSON results.
/// A replica is named by URL or by a database path of the node's config; restores write only under
/// <c>mcp.restore-dir</c>.
/// </summary>
[McpServerToolType]
public sealed class LitestreamTools(McpToolContext context)
{
    private ClusterApi Clustered() => context.Api.Cluster.Enabled
        ? context.Api.Cluster
        : throw new McpException("this node is not in a cluster (its config has no cluster: section)");

    [McpServerTool(Name = "litestream_version"), Description("The version of the running Litestream node.")]
    public string Version() => Json(new VersionAnswer(context.Version));

    [McpServerTool(Name = "litestream_databases"), Description("Every database of the running node with its replicas: TXIDs, lag, last upload and last error.")]
    public async Task<string> Databases() => Json((await context.Api.AllAsync()).Select(DatabaseView.From));

    [McpServerTool(Name = "litestream_status"), Description("Replication status of one database (or all when path is omitted).")]
    public async Task<string> Status([Description("Database path; all databases when omitted.")] string? path = null)
    {
        var all = (await context.Api.AllAsync()).Select(DatabaseView.From);
        if (path is null)
        {
            return Json(all);
        }
        var absolute = PathExpander.DatabasePath(path);
        return Json(all.FirstOrDefault(d => d.Path == absolute) ?? throw new McpException($"database not found: {absolute}"));
    }

    [McpServerTool(Name = "litestream_info"), Description("The node: version, process, databases and each replica's state.")]
    public async Task<string> Info() => Json(new NodeInfoAnswer(context.Version, Environment.ProcessId, (await context.Api.AllAsync()).Select(DatabaseView.From)));

    [McpServerTool(Name = "litestream_cluster_members"), Description("The cluster's members as this node sees them: status, reachability, leader, up since, databases.")]
    public async Task<string> ClusterMembers() => Json(await Clustered().MembersAsync());

    [McpServerTool(Name = "litestream_cluster_databases"), Description("Every replica of every database on every node of the cluster, with its state, TXIDs and lag.")]
    public async Task<string> ClusterDatabases() => Json((await Clustered().CatalogAsync()).Rows.Select(CatalogRowView.From));

    [McpServerTool(Name = "litestream_ltx"), Description("The LTX files of a replica, by level.")]
    public async Task<string> Ltx(
        [Description("A database path from the config, or a replica URL.")] string path,
        [Description("Level 0 to 9; every level when omitted.")] int? level = null,
        CancellationToken cancellationToken = default)
    {
        await using var client = Resolve(path);
        var levels = level is { } one ? [one] : Enumerable.Range(0, LtxFileInfo.MaxLevel + 1);
        var files = new List<LtxFileView>();
        foreach (var l in levels)
        {
            files.AddRange((await Guard(() => client.ListAsync(l, cancellationToken))).Select(f => new LtxFileView(f.Level, Txid.Format(f.MinTxid), Txid.Format(f.MaxTxid), f.Size, f.CreatedAt)));
        }
        return Json(files);
    }

    [McpServerTool(Name = "litestream_verify"), Description("Checks a replica's files, their contiguity and that a restorable chain exists, without restoring.")]
    public async Task<string> Verify(
        [Description("A database path from the config, or a replica URL.")] string path, CancellationToken cancellationToken = default)
    {
        await using var client = Resolve(path);
        var result = await Guard(() => ReplicaVerifier.VerifyAsync(client, cancellationToken));
        return Json(new VerifyAnswer(
            result.Problems.Count == 0, result.Files, Txid.Format(result.NewestTxid), result.RestorableTxid is { } t ? Txid.Format(t) : null, result.Problems));
    }

    [McpServerTool(Name = "litestream_restore"), Description("Restores a replica to a new file under the node's mcp.restore-dir, with a full integrity check.")]
    public async Task<string> Restore(
        [Description("A database path from the config, or a replica URL.")] string path,
        [Description("Output file name, relative to mcp.restore-dir; it must not exist.")] string o,
        [Description("Restore to this TXID (16 hex digits).")] string? txid = null,
        [Description("Restore to the last state before this time (RFC 3339).")] string? timestamp = null,
        CancellationToken cancellationToken = default)
    {
        var output = RestoreOutput(o);
        var target = Target(txid, timestamp);
        await using var client = Resolve(path);
        var result = await Guard(async () =>
        {
            var plan = await RestorePlanner.PlanAsync(client, target, cancellationToken);
            return await DatabaseRestorer.RestoreAsync(client, plan, output, IntegrityCheckMode.Full, overwrite: false, cancellationToken);
        });
        return Json(new RestoreAnswer(result.OutputPath, Txid.Format(result.Txid), result.FileCount));
    }

    [McpServerTool(Name = "litestream_cluster_restore"), Description(
        "Restores a database of any node of the cluster to a new file under this node's mcp.restore-dir: its owner syncs first (unless a TXID or time is given), then this node restores from the replica, checked by checksum and a full integrity check.")]
    public async Task<string> ClusterRestore(
        [Description("The database path as the cluster's catalog shows it, or NODE:PATH.")] string database,
        [Description("Output file name, relative to mcp.restore-dir; it must not exist.")] string o,
        [Description("The replica's name; the database's first replica when omitted.")] string? replica = null,
        [Description("Restore to this TXID (16 hex digits).")] string? txid = null,
        [Description("Restore to the last state before this time (RFC 3339).")] string? timestamp = null,
        CancellationToken cancellationToken = default)
    {
        var restore = Clustered().Restore!;
        var output = RestoreOutput(o);
        var target = Target(txid, timestamp);
        try
        {
            await using var source = await restore.OpenAsync(database, replica, target, sync: target.IsLatest, TimeSpan.FromSeconds(30));
            var (result, checksum) = await Control.ClusterRestore.RestoreAsync(source, output, IntegrityCheckMode.Full, cancellationToken);
            return Json(new ClusterRestoreAnswer(
                result.OutputPath, source.Owner, source.Replica, Txid.Format(result.Txid), checksum.ToString("x16", CultureInfo.InvariantCulture), result.FileCount));
        }
        catch (ClusterRestoreException e)
        {
            throw new McpException(e.Message);
        }
    }

    // Restores write only under mcp.restore-dir.
    private string RestoreOutput(string name)
    {
        var directory = context.Settings.Control?.McpRestoreDirectory
            ?? throw new McpException("restores over MCP are off: set mcp.restore-dir in the config");
        var output = Path.GetFullPath(Path.Combine(directory, name));
        if (!output.StartsWith(Path.TrimEndingDirectorySeparator(directory) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new McpException($"the output must be a file under {directory}");
        }
        if (File.Exists(output))
        {
            throw new McpException($"{name} already exists under {directory}");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        return output;
    }

    private static RestoreTarget Target(string? txid, string? timestamp)
    {
        ulong? target = null;
        if (txid is not null)
        {
            target = Txid.TryParse(txid, out var parsed) ? parsed : throw new McpException($"invalid txid \"{txid}\": expected 16 hex digits");
        }
        DateTimeOffset? before = null;
        if (timestamp is not null)
        {
            before = DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? at : throw new McpException($"invalid timestamp \"{timestamp}\": expected RFC 3339 such as 2026-01-02T15:04:05Z");
        }
        return new RestoreTarget(target, before);
    }

    private IReplicaClient Resolve(string path)
    {
        try
        {
            if (ReplicaUrl.IsUrl(path))
            {
                return ReplicaClientFactory.FromUrl(path);
            }
            var absolute = PathExpander.DatabasePath(path);
            var database = context.Settings.FindDatabase(absolute) ?? throw new McpException($"database not found in config: {absolute}");
            return ReplicaClientFactory.Create(database.Replicas[0].Endpoint);
        }
        catch (StorageException e)
        {
            throw new McpException(e.Message);
        }
    }

    // Storage problems become tool errors with their one line; anything else is a bug and surfaces as such.
    private static async Task<T> Guard<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is StorageException or IOException or UnauthorizedAccessException)
        {
            throw new McpException(e.Message);
        }
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, (JsonTypeInfo<T>)ControlApi.JsonOptions.GetTypeInfo(typeof(T)));
}
