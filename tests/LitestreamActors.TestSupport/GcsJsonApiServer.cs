using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LitestreamActors.TestSupport;

/// <summary>
/// A small Google Cloud Storage JSON-API server on loopback, because no GCS emulator installs on these machines. It
/// implements only the calls Google.Cloud.Storage.V1 makes for a replica — resumable upload, object get (metadata and
/// media, with ranges), list by prefix with paging, delete — with generation preconditions enforced as GCS does.
/// </summary>
public sealed class GcsJsonApiServer : IAsyncDisposable
{
    private const int PageSize = 1000;
    private readonly ConcurrentDictionary<string, StoredObject> _objects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PendingUpload> _uploads = new(StringComparer.Ordinal);
    private readonly WebApplication _app;
    private long _generation;

    private GcsJsonApiServer(WebApplication app) => _app = app;

    /// <summary>The server's root, e.g. <c>http://127.0.0.1:40123</c>: the replica's <c>endpoint</c>.</summary>
    public string Endpoint => _app.Urls.First();

    public static async Task<GcsJsonApiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new GcsJsonApiServer(app);
        app.MapPost("/upload/storage/v1/b/{bucket}/o", server.BeginUpload);
        app.MapPut("/upload/session/{id}", server.ContinueUpload);
        app.MapGet("/storage/v1/b/{bucket}/o", server.List);
        app.MapGet("/storage/v1/b/{bucket}/o/{**name}", server.Get);
        app.MapDelete("/storage/v1/b/{bucket}/o/{**name}", server.Delete);
        await app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> BeginUpload(HttpContext context, string bucket)
    {
        Stream body = context.Request.Body;
        if (context.Request.Headers.ContentEncoding == "gzip")
        {
            body = new GZipStream(body, CompressionMode.Decompress);
        }
        var metadata = (await JsonNode.ParseAsync(body))?.AsObject() ?? [];
        var name = metadata["name"]?.GetValue<string>() ?? context.Request.Query["name"].ToString();
        var id = Guid.NewGuid().ToString("N");
        _uploads[id] = new PendingUpload(bucket, name, metadata["metadata"]?.AsObject(), Precondition(context), new MemoryStream());
        context.Response.Headers.Location = $"{context.Request.Scheme}://{context.Request.Host}/upload/session/{id}";
        return Results.Ok();
    }

    private async Task<IResult> ContinueUpload(HttpContext context, string id)
    {
        if (!_uploads.TryGetValue(id, out var upload))
        {
            return Error(404, "No such upload");
        }
        // Content-Range: "bytes a-b/total", "bytes */total" or "bytes a-b/*"; the upload completes when all bytes are in.
        var range = context.Request.Headers.ContentRange.ToString();
        var total = range[(range.IndexOf('/') + 1)..];
        await context.Request.Body.CopyToAsync(upload.Content);
        if (total == "*" || upload.Content.Length < long.Parse(total, CultureInfo.InvariantCulture))
        {
            context.Response.Headers["Range"] = $"bytes=0-{upload.Content.Length - 1}";
            return Results.StatusCode(308);
        }
        _uploads.TryRemove(id, out _);
        var key = Key(upload.Bucket, upload.Name);
        lock (_objects)
        {
            var current = _objects.GetValueOrDefault(key);
            if (upload.IfGenerationMatch is { } expected && (current?.Generation ?? 0) != expected)
            {
                return Error(412, "At least one of the pre-conditions you specified did not hold.");
            }
            var stored = new StoredObject(upload.Bucket, upload.Name, upload.Content.ToArray(), upload.Metadata, Interlocked.Increment(ref _generation), DateTimeOffset.UtcNow);
            _objects[key] = stored;
            return Results.Json(stored.Resource());
        }
    }

    private IResult List(HttpContext context, string bucket)
    {
        var prefix = context.Request.Query["prefix"].ToString();
        var after = context.Request.Query["pageToken"].ToString();
        var page = _objects.Values
            .Where(o => o.Bucket == bucket && o.Name.StartsWith(prefix, StringComparison.Ordinal) && string.CompareOrdinal(o.Name, after) > 0)
            .OrderBy(o => o.Name, StringComparer.Ordinal)
            .Take(PageSize + 1)
            .ToList();
        var result = new JsonObject
        {
            ["kind"] = "storage#objects",
            ["items"] = new JsonArray([.. page.Take(PageSize).Select(o => (JsonNode)o.Resource())]),
        };
        if (page.Count > PageSize)
        {
            result["nextPageToken"] = page[PageSize - 1].Name;
        }
        return Results.Json(result);
    }

    private IResult Get(HttpContext context, string bucket, string name)
    {
        if (!_objects.TryGetValue(Key(bucket, Uri.UnescapeDataString(name)), out var stored))
        {
            return Error(404, "No such object");
        }
        if (context.Request.Query["alt"] != "media")
        {
            return Results.Json(stored.Resource());
        }
        var range = context.Request.GetTypedHeaders().Range?.Ranges.SingleOrDefault();
        if (range is null)
        {
            return Results.Bytes(stored.Content, "application/octet-stream");
        }
        var from = range.From ?? stored.Content.Length - range.To!.Value;
        var to = Math.Min(range.To ?? stored.Content.Length - 1, stored.Content.Length - 1);
        context.Response.StatusCode = 206;
        context.Response.Headers.ContentRange = $"bytes {from}-{to}/{stored.Content.Length}";
        return Results.Bytes(stored.Content.AsMemory((int)from, (int)(to - from + 1)), "application/octet-stream");
    }

    private IResult Delete(HttpContext context, string bucket, string name)
    {
        var key = Key(bucket, Uri.UnescapeDataString(name));
        lock (_objects)
        {
            if (!_objects.TryGetValue(key, out var stored))
            {
                return Error(404, "No such object");
            }
            if (Precondition(context) is { } expected && stored.Generation != expected)
            {
                return Error(412, "At least one of the pre-conditions you specified did not hold.");
            }
            _objects.TryRemove(key, out _);
            return Results.NoContent();
        }
    }

    private static long? Precondition(HttpContext context) =>
        long.TryParse(context.Request.Query["ifGenerationMatch"], CultureInfo.InvariantCulture, out var generation) ? generation : null;

    private static string Key(string bucket, string name) => bucket + "/" + name;

    private static IResult Error(int code, string message) =>
        Results.Json(new { error = new { code, message, errors = new[] { new { message, reason = code == 404 ? "notFound" : "conditionNotMet" } } } }, statusCode: code);

    private sealed record PendingUpload(string Bucket, string Name, JsonObject? Metadata, long? IfGenerationMatch, MemoryStream Content);

    private sealed record StoredObject(string Bucket, string Name, byte[] Content, JsonObject? Metadata, long Generation, DateTimeOffset Updated)
    {
        public JsonObject Resource() => new()
        {
            ["kind"] = "storage#object",
            ["bucket"] = Bucket,
            ["name"] = Name,
            ["generation"] = Generation.ToString(CultureInfo.InvariantCulture),
            ["metageneration"] = "1",
            ["size"] = Content.Length.ToString(CultureInfo.InvariantCulture),
            ["updated"] = Updated.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            ["timeCreated"] = Updated.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            ["md5Hash"] = Convert.ToBase64String(MD5.HashData(Content)),
            ["metadata"] = Metadata?.DeepClone(),
        };
    }
}
