using LitestreamActors.Actors.Control;
using LitestreamActors.Storage.Ltx;
using LitestreamActors.Storage.Restore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LitestreamActors.Node.Control;

/// <summary>
/// <c>POST /cluster/restore</c> (docs/cluster.md, "Restore against the cluster"): the restored database as
/// <c>application/octet-stream</c>, its TXID, LTX database checksum, owner and replica in <c>Litestream-*</c> headers;
/// with <c>dry_run</c>, the plan as JSON. The database is restored from the replica to a temp file of this node, which
/// goes once streamed.
/// </summary>
public sealed class ClusterRestoreApi(ClusterRestore? restore)
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public void Map(IEndpointRouteBuilder routes) => routes.MapPost("/cluster/restore", async (ClusterRestoreRequest request, HttpContext http) =>
    {
        if (restore is null)
        {
            return ControlApi.Error(ControlErrorKind.Conflict, "this node is not in a cluster (its config has no cluster: section)");
        }
        if (request.Path is not { Length: > 0 } database)
        {
            return ControlApi.Error(ControlErrorKind.Invalid, "path is required");
        }
        if (Target(request) is not { } target)
        {
            return ControlApi.Error(ControlErrorKind.Invalid, "txid must be 16 hex digits and timestamp RFC 3339, and not both");
        }
        var timeout = request.Timeout is > 0 and < 3600 ? TimeSpan.FromSeconds(request.Timeout.Value) : DefaultTimeout;
        var dryRun = request.DryRun == true;
        try
        {
            await using var source = await restore.OpenAsync(database, request.Replica, target, sync: target.IsLatest && !dryRun, timeout);
            if (dryRun)
            {
                var plan = await ClusterRestore.PlanAsync(source, http.RequestAborted);
                return Results.Json(new ClusterRestorePlanView(
                    source.Owner,
                    source.Database,
                    source.Replica,
                    source.Client.Type,
                    source.Client.DisplayLocation,
                    Txid.Format(plan.MinTxid),
                    Txid.Format(plan.MaxTxid),
                    target.IsLatest,
                    plan.Files.Select(f => new ClusterRestoreFileView(f.Level, f.Name, Txid.Format(f.MinTxid), Txid.Format(f.MaxTxid), f.Size))),
                    ControlApi.JsonOptions);
            }
            var temp = Path.Combine(Path.GetTempPath(), $"litestream-cluster-restore-{Guid.NewGuid():N}.db");
            var (result, checksum) = await ClusterRestore.RestoreAsync(source, temp, IntegrityCheckMode.None, http.RequestAborted);
            http.Response.Headers["Litestream-Txid"] = Txid.Format(result.Txid);
            http.Response.Headers["Litestream-Checksum"] = checksum.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
            http.Response.Headers["Litestream-Owner"] = source.Owner;
            http.Response.Headers["Litestream-Replica"] = source.Replica;
            http.Response.Headers["Litestream-Files"] = result.FileCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Stream(
                new FileStream(temp, FileMode.Open, FileAccess.Read, FileShare.None, 1 << 16, FileOptions.Asynchronous | FileOptions.DeleteOnClose),
                "application/octet-stream");
        }
        catch (ClusterRestoreException e)
        {
            return ControlApi.Error(e.Kind, e.Message);
        }
    });

    private static RestoreTarget? Target(ClusterRestoreRequest request)
    {
        if (request.Txid is not null && request.Timestamp is not null)
        {
            return null;
        }
        if (request.Txid is { } text)
        {
            return Txid.TryParse(text, out var txid) && txid > 0 ? new RestoreTarget(txid, null) : null;
        }
        if (request.Timestamp is { } moment)
        {
            return DateTimeOffset.TryParse(moment, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
                ? new RestoreTarget(null, at) : null;
        }
        return RestoreTarget.Latest;
    }
}
