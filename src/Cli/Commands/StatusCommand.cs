using System.Text.Json;
using LitestreamActors.Cli.Flags;
using LitestreamActors.Cli.Output;
using LitestreamActors.Node.Configuration;
using LitestreamActors.Storage.Capture;

namespace LitestreamActors.Cli.Commands;

/// <summary>
/// <c>litestream status [DB_PATH]</c>: upstream's columns (database, status, local TXID, WAL size), read from the
/// running node when there is one (with the TXID every replica holds), else from the local files as upstream does.
/// </summary>
internal sealed class StatusCommand : ICommand
{
    public string Name => "status";

    public string Summary => "Show replication status of databases";

    public string Usage => $$"""
        The status command shows each database's state, local TXID and WAL size; from a
        running node also the TXID every replica holds.

        Usage:

            litestream status [arguments] [DB_PATH]

        Arguments:

        {{ConfigArguments.Help}}

        {{ControlArguments.Help}}

            -json
                Prints a JSON array instead of a table.
        """;

    public async Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context, CancellationToken cancellationToken)
    {
        var flags = new FlagSet(Name);
        var control = new ControlArguments(flags);
        var json = flags.Bool("json");
        flags.Parse(args);
        if (flags.Arguments.Count > 1)
        {
            throw new UsageException("too many arguments");
        }
        var only = flags.Arguments.Count == 1 ? PathExpander.DatabasePath(flags.Arguments[0]) : null;
        var settings = control.Explicit ? null : ConfigLoader.LoadFile(ConfigFile.Resolve(control.Config.Path), control.Config.ExpandEnvironment);
        using var client = control.Connect(settings);
        var rows = FromNode(await control.LiveStatusAsync(client, cancellationToken))
            ?? settings!.Replication.ScanDatabases().Select(d => Local(d.Path, new LocalLtxStore(d.ResolvedMetaPath))).ToList();
        rows = [.. rows.Where(r => only is null || r.Database == only)];
        if (only is not null && rows.Count == 0)
        {
            throw new Storage.StorageException($"database not found in config: {only}");
        }
        if (json())
        {
            Json.Write(context.Out, rows);
            return 0;
        }
        var table = new TableWriter("database", "status", "local txid", "wal size", "replicated txid");
        rows.ForEach(r => table.Add(r.Database, r.Status, r.LocalTxid ?? "-", Humanize(r.WalSize), r.ReplicatedTxid ?? "-"));
        table.WriteTo(context.Out);
        return 0;
    }

    private static List<StatusRow>? FromNode(JsonElement? databases) => databases is not { } live ? null :
        [.. live.EnumerateArray().Select(d =>
        {
            var path = d.GetProperty("path").GetString()!;
            var replicas = d.GetProperty("replicas").EnumerateArray().Select(r => r.GetProperty("txid")).ToList();
            var replicated = replicas.Count == 0 || replicas.Any(r => r.ValueKind != JsonValueKind.String)
                ? null : replicas.Select(r => r.GetString()!).Min(StringComparer.Ordinal);
            return new StatusRow(path, UpstreamStatus(d.GetProperty("status").GetString()!), d.GetProperty("txid").GetString(), WalSize(path), replicated);
        })];

    private static StatusRow Local(string path, LocalLtxStore store)
    {
        if (!File.Exists(path))
        {
            return new StatusRow(path, "no database", null, 0, null);
        }
        var txids = store.List();
        return txids.Count == 0
            ? new StatusRow(path, "not initialized", null, WalSize(path), null)
            : new StatusRow(path, "ok", Storage.Ltx.Txid.Format(txids[^1]), WalSize(path), null);
    }

    // Upstream's words where it has one: ok, not initialized, no database, error; ours (stopped) otherwise.
    private static string UpstreamStatus(string state) => state switch
    {
        "replicating" => "ok",
        "starting" => "not initialized",
        "waiting" => "no database",
        "failed" => "error",
        _ => state,
    };

    private static long WalSize(string path) => File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0;

    private static string Humanize(long bytes) => bytes switch
    {
        < 1000 => $"{bytes} B",
        < 1000 * 1000 => (bytes / 1000.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " kB",
        _ => (bytes / 1e6).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " MB",
    };

    internal sealed record StatusRow(string Database, string Status, string? LocalTxid, long WalSize, string? ReplicatedTxid);
}
