using LitestreamActors.Storage.Replica.Azure;
using LitestreamActors.Storage.Replica.File;
using LitestreamActors.Storage.Replica.Gcs;
using LitestreamActors.Storage.Replica.Nats;
using LitestreamActors.Storage.Replica.S3;
using LitestreamActors.Storage.Replica.Sftp;
using LitestreamActors.Storage.Replica.WebDav;

namespace LitestreamActors.Storage.Replica;

/// <summary>Reads a replica endpoint into its location (a pure check of the config) and makes clients from it.</summary>
public static class ReplicaClientFactory
{
    /// <summary>The client for an endpoint; the caller owns it and disposes it.</summary>
    public static IReplicaClient Create(ReplicaEndpoint endpoint) => Locate(endpoint).CreateClient();

    public static IReplicaClient FromUrl(string url) => Create(new ReplicaEndpoint(string.Empty, url, null));

    /// <summary>The endpoint's location, or a <see cref="ReplicaConfigurationException"/> naming the problem: no connection, no file written.</summary>
    public static IReplicaLocation Locate(ReplicaEndpoint endpoint)
    {
        var (type, location) = Resolve(endpoint);
        return type switch
        {
            "file" => new FileLocation(location),
            "nats" => NatsLocation.From(endpoint.Url is { } natsUrl ? new Uri(natsUrl) : null, endpoint.Options),
            "sftp" => SftpLocation.From(new Uri(endpoint.Url ?? throw new ReplicaConfigurationException("sftp replica requires a url")), endpoint.Options),
            "s3" => S3Location.From(endpoint.Url is { } url ? new Uri(url) : null, WithPath(endpoint)),
            "abs" => AbsLocation.From(endpoint.Url is { } absUrl ? new Uri(absUrl) : null, WithPath(endpoint)),
            "webdav" or "webdavs" => WebDavLocation.From(endpoint.Url is { } davUrl ? new Uri(davUrl) : null, WithPath(endpoint)),
            "gs" or "gcs" => GcsLocation.From(endpoint.Url is { } gsUrl ? new Uri(gsUrl) : null, WithPath(endpoint)),
            _ => throw new ReplicaConfigurationException($"replica type \"{type}\" is not supported"),
        };
    }

    private static IReadOnlyDictionary<string, string> WithPath(ReplicaEndpoint endpoint) =>
        endpoint.Path is { } path && endpoint.Url is null
            ? new Dictionary<string, string>(endpoint.Options) { ["path"] = path }
            : endpoint.Options;

    private static (string Type, string Location) Resolve(ReplicaEndpoint endpoint)
    {
        if (endpoint.Url is { Length: > 0 } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !ReplicaUrl.IsUrl(url))
            {
                throw new ReplicaConfigurationException($"invalid replica URL: {ReplicaUrl.Redact(url)}");
            }
            var scheme = ReplicaUrl.SchemeOf(url)!;
            if (endpoint.Type.Length > 0 && endpoint.Type != scheme)
            {
                throw new ReplicaConfigurationException($"replica type \"{endpoint.Type}\" does not match URL scheme \"{scheme}\"");
            }
            if (scheme == "file")
            {
                if (uri.Host.Length > 0)
                {
                    throw new ReplicaConfigurationException($"file replica URL must name an absolute path (file:///path): {url}");
                }
                return ("file", Uri.UnescapeDataString(uri.AbsolutePath));
            }
            return (scheme, url);
        }
        var type = endpoint.Type.Length > 0 ? endpoint.Type : "file";
        if (type == "file" && string.IsNullOrEmpty(endpoint.Path))
        {
            throw new ReplicaConfigurationException("file replica requires a path");
        }
        return (type, endpoint.Path ?? string.Empty);
    }
}
