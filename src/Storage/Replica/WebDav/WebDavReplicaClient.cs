using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using LitestreamActors.Storage.IO;

namespace LitestreamActors.Storage.Replica.WebDav;

/// <summary>
/// A replica on a WebDAV server, laid out as upstream's: <c>&lt;path&gt;/ltx/&lt;level&gt;/&lt;min&gt;-&lt;max&gt;.ltx</c>. A file is
/// PUT under a temporary name and MOVEd into place; collections are created when a PUT finds its parent missing.
/// </summary>
public sealed class WebDavReplicaClient : IReplicaClient
{
    private static readonly XNamespace Dav = "DAV:";
    private static readonly HttpMethod Propfind = new("PROPFIND");
    private static readonly HttpMethod Mkcol = new("MKCOL");
    private static readonly HttpMethod Move = new("MOVE");
    private const HttpStatusCode AnyStatus = (HttpStatusCode)(-1);
    private readonly HttpClient _http;

    public WebDavReplicaClient(WebDavLocation location)
    {
        Location = location;
        _http = StallGuardedHttp.Client();
        if (location.Username is { } user)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{location.Password}")));
        }
    }

    public WebDavLocation Location { get; }

    public string Type => "webdav";

    public string DisplayLocation => new Uri(Location.BaseUri, Location.Path).ToString();

    public async Task<IReadOnlyList<LtxFileInfo>> ListAsync(int level, CancellationToken cancellationToken)
    {
        var path = Location.LevelPath(level);
        using var request = new HttpRequestMessage(Propfind, Location.Resolve(path))
        {
            Content = new StringContent(
                "<?xml version=\"1.0\"?><propfind xmlns=\"DAV:\"><prop><getcontentlength/><getlastmodified/><resourcetype/></prop></propfind>",
                Encoding.UTF8,
                "application/xml"),
        };
        request.Headers.Add("Depth", "1");
        using var response = await Send(request, "list", path, cancellationToken, HttpStatusCode.NotFound);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }
        var document = XDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var files = new List<LtxFileInfo>();
        foreach (var entry in document.Root?.Elements(Dav + "response") ?? [])
        {
            var href = Uri.UnescapeDataString(entry.Element(Dav + "href")?.Value ?? string.Empty);
            var properties = entry.Elements(Dav + "propstat").Elements(Dav + "prop").FirstOrDefault();
            if (properties is null || properties.Element(Dav + "resourcetype")?.Element(Dav + "collection") is not null
                || !Ltx.LtxFileName.TryParse(href[(href.LastIndexOf('/') + 1)..], out var min, out var max))
            {
                continue;
            }
            var size = long.TryParse(properties.Element(Dav + "getcontentlength")?.Value, CultureInfo.InvariantCulture, out var n) ? n : 0;
            var modified = DateTimeOffset.TryParse(properties.Element(Dav + "getlastmodified")?.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? at.ToUniversalTime()
                : DateTimeOffset.UnixEpoch;
            files.Add(new LtxFileInfo(level, min, max, size, modified));
        }
        files.Sort(LtxFileInfo.CompareByTxid);
        return files;
    }

    public async Task<Stream> OpenAsync(int level, ulong minTxid, ulong maxTxid, long offset, long? length, CancellationToken cancellationToken)
    {
        var path = Location.FilePath(level, minTxid, maxTxid);
        using var request = new HttpRequestMessage(HttpMethod.Get, Location.Resolve(path));
        if (offset > 0 || length is not null)
        {
            request.Headers.Range = new RangeHeaderValue(offset, length is { } n ? offset + n - 1 : null);
        }
        var response = await Send(request, "read", path, cancellationToken, HttpStatusCode.NotFound, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            response.Dispose();
            throw new ReplicaFileNotFoundException($"{DisplayLocation}: {path}: not found");
        }
        var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        if (response.StatusCode == HttpStatusCode.OK && offset > 0)
        {
            // The server ignored the range: skip to the offset ourselves.
            var discard = new byte[81920];
            for (var left = offset; left > 0;)
            {
                var read = await body.ReadAsync(discard.AsMemory(0, (int)Math.Min(left, discard.Length)), cancellationToken);
                left = read > 0 ? left - read : 0;
            }
        }
        return new IO.BoundedReadStream(body, response.StatusCode == HttpStatusCode.OK ? length : null, response);
    }

    public async Task<LtxFileInfo> WriteAsync(int level, ulong minTxid, ulong maxTxid, Stream content, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        var path = Location.FilePath(level, minTxid, maxTxid);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        var bytes = new MemoryStream();
        await content.CopyToAsync(bytes, cancellationToken);
        for (var attempt = 0; ; attempt++)
        {
            using var put = new HttpRequestMessage(HttpMethod.Put, Location.Resolve(temp)) { Content = new ByteArrayContent(bytes.GetBuffer(), 0, (int)bytes.Length) };
            using var response = await Send(put, "write", path, cancellationToken, HttpStatusCode.Conflict);
            if (response.StatusCode != HttpStatusCode.Conflict)
            {
                break;
            }
            if (attempt > 0)
            {
                throw new StorageException($"webdav write {DisplayLocation}: {path}: the server refused to create the collection");
            }
            await CreateCollections(Location.LevelPath(level), cancellationToken);
        }
        using var move = new HttpRequestMessage(Move, Location.Resolve(temp));
        move.Headers.Add("Destination", Location.Resolve(path).AbsoluteUri);
        move.Headers.Add("Overwrite", "T");
        (await Send(move, "write", path, cancellationToken)).Dispose();
        return new LtxFileInfo(level, minTxid, maxTxid, bytes.Length, createdAt);
    }

    public async Task DeleteAsync(IReadOnlyCollection<LtxFileInfo> files, CancellationToken cancellationToken)
    {
        foreach (var file in files)
        {
            var path = Location.FilePath(file.Level, file.MinTxid, file.MaxTxid);
            using var request = new HttpRequestMessage(HttpMethod.Delete, Location.Resolve(path));
            (await Send(request, "delete", path, cancellationToken, HttpStatusCode.NotFound)).Dispose();
        }
    }

    // Apache marks a file's ETag weak for a second after each write, so If-Match fails right after a renewal; other
    // servers ignore conditional headers altogether. Neither can keep two writers apart.
    public Task<Lease.LeaseSupport> LeaseAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Lease.LeaseSupport.None("WebDAV conditional writes are not dependable (weak ETags right after a write, or ignored)"));

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task CreateCollections(string path, CancellationToken cancellationToken)
    {
        var current = string.Empty;
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current += "/" + part;
            using var mkcol = new HttpRequestMessage(Mkcol, Location.Resolve(current + "/"));
            using var created = await Send(mkcol, "write", current, cancellationToken, AnyStatus);
            if (created.IsSuccessStatusCode || created.StatusCode == HttpStatusCode.MethodNotAllowed)
            {
                continue;
            }
            // Another writer may have made it a moment ago (Apache then answers 403): it is fine if it exists now.
            using var probe = new HttpRequestMessage(Propfind, Location.Resolve(current + "/"));
            probe.Headers.Add("Depth", "0");
            using var exists = await Send(probe, "write", current, cancellationToken, AnyStatus);
            if (!exists.IsSuccessStatusCode)
            {
                throw new StorageException($"webdav write {DisplayLocation}: {current}: cannot create collection: {(int)created.StatusCode} {created.ReasonPhrase}");
            }
        }
    }

    // Any status other than success or the ones a caller handles becomes one line naming the path and the status.
    private async Task<HttpResponseMessage> Send(
        HttpRequestMessage request, string action, string path, CancellationToken cancellationToken, HttpStatusCode? handled = null,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, completion, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new StorageException($"webdav {action} {DisplayLocation}: {path}: {e.Message}");
        }
        if (response.IsSuccessStatusCode || response.StatusCode == handled || handled == AnyStatus)
        {
            return response;
        }
        response.Dispose();
        throw new StorageException($"webdav {action} {DisplayLocation}: {path}: {(int)response.StatusCode} {response.ReasonPhrase}");
    }
}
