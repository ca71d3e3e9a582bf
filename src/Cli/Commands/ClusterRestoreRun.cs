using System.Globalization;
using LitestreamActors.Cli.Flags;
using LitestreamActors.Cli.Output;
using LitestreamActors.Node.Control;
using LitestreamActors.Storage.Ltx;
using LitestreamActors.Storage.Restore;

namespace LitestreamActors.Cli.Commands;

/// <summary>
/// <c>restore -cluster ADDR</c> (docs/cluster.md, "Restore against the cluster"): any node of the cluster restores the
/// database from its replica and streams it back; this process holds no storage credentials. The stream is written
/// to a temp file, its LTX database checksum and <c>PRAGMA integrity_check</c> checked, fsynced and renamed.
/// </summary>
internal static class ClusterRestoreRun
{
    public static async Task<int> RunAsync(
        CommandContext context, string address, string database, string? replica, string? output, RestoreTarget target,
        (bool Force, bool IfDbNotExists, bool DryRun, bool Json) options, CancellationToken cancellationToken)
    {
        var outputPath = output is { Length: > 0 } o ? Path.GetFullPath(o) : throw new UsageException("output path required (-o) with -cluster");
        if (!options.DryRun && File.Exists(outputPath) && new FileInfo(outputPath).Length > 0)
        {
            if (options.IfDbNotExists)
            {
                context.Log.Info("database already exists, skipping", ("path", outputPath));
                return 0;
            }
            if (!options.Force)
            {
                throw new Storage.StorageException($"output file already exists: {outputPath} (use -force to overwrite it)");
            }
        }
        using var client = Connect(address);
        var request = new ClusterRestoreRequest(
            database, replica, target.Txid is { } txid ? Txid.Format(txid) : null,
            target.Timestamp is { } moment ? TimeFormat.Rfc3339Nano(moment) : null, options.DryRun, null);
        using var response = await client.PostForResponseAsync("cluster/restore", request, cancellationToken);
        if (options.DryRun)
        {
            WritePlan(context, await client.ReadJsonAsync(response, cancellationToken), address, outputPath, options.Json);
            return 0;
        }
        var restoredTxid = Header(response, "Litestream-Txid");
        if (!ulong.TryParse(Header(response, "Litestream-Checksum"), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var checksum))
        {
            throw new Storage.StorageException($"{address} sent a database without a valid checksum");
        }
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var pages = await StreamedDatabase.WriteAsync(body, outputPath, checksum, options.Force, cancellationToken);
        var owner = Header(response, "Litestream-Owner");
        var replicaName = Header(response, "Litestream-Replica");
        if (options.Json)
        {
            Json.Write(context.Out, new Summary(outputPath, owner, replicaName, restoredTxid, checksum.ToString("x16", CultureInfo.InvariantCulture), pages, (long)stopwatch.Elapsed.TotalMilliseconds));
        }
        else
        {
            context.Log.Info(
                "restore complete", ("path", outputPath), ("txid", restoredTxid), ("owner", owner), ("replica", replicaName),
                ("pages", pages), ("duration_ms", (long)stopwatch.Elapsed.TotalMilliseconds));
        }
        return 0;
    }

    // A path is the node's control socket; anything else its HTTP address, with the token from the environment.
    private static ControlClient Connect(string address)
    {
        if (address.Contains('/', StringComparison.Ordinal))
        {
            return ControlClient.ForSocket(Path.GetFullPath(address));
        }
        try
        {
            return ControlClient.ForAddress(address, Environment.GetEnvironmentVariable("LITESTREAM_API_TOKEN") is { Length: > 0 } token ? token : null);
        }
        catch (Node.Configuration.ConfigException e)
        {
            throw new UsageException(e.Message.Replace("-addr", "-cluster", StringComparison.Ordinal));
        }
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : string.Empty;

    private static void WritePlan(CommandContext context, System.Text.Json.JsonElement plan, string address, string outputPath, bool json)
    {
        if (json)
        {
            Json.Write(context.Out, plan);
            return;
        }
        string Text(string key) => plan.GetProperty(key).ToString();
        context.Out.WriteLine("Restore plan:");
        context.Out.WriteLine($"  source:     {Text("database")} via the cluster node {address}");
        context.Out.WriteLine($"  owner:      {Text("owner")}{(plan.GetProperty("syncs_first").GetBoolean() ? " (syncs first, then the restore is as of its TXID)" : string.Empty)}");
        context.Out.WriteLine($"  target:     {outputPath}");
        context.Out.WriteLine($"  replica:    {Text("replica")}: {Text("type")} {Text("target")}");
        context.Out.WriteLine($"  txid range: {Text("min_txid")}-{Text("max_txid")}");
        context.Out.WriteLine();
        var table = new TableWriter("level", "file", "min_txid", "max_txid", "size");
        foreach (var file in plan.GetProperty("files").EnumerateArray())
        {
            table.Add(file.GetProperty("level").ToString(), file.GetProperty("name").ToString(), file.GetProperty("min_txid").ToString(),
                file.GetProperty("max_txid").ToString(), file.GetProperty("size").ToString());
        }
        table.WriteTo(context.Out);
    }

    internal sealed record Summary(string DbPath, string Owner, string Replica, string Txid, string Checksum, uint Pages, long DurationMs);
}
