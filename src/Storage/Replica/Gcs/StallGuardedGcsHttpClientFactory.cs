using System.Net;
using Google.Apis.Http;
using LitestreamActors.Storage.IO;

namespace LitestreamActors.Storage.Replica.Gcs;

/// <summary>
/// The Google client's HTTP over <see cref="StallGuardedHttp"/> connections: a connection on which no byte moves for 30 s
/// fails, and requests have no overall deadline (the client's own is 100 s), so a large file on a slow link finishes.
/// </summary>
internal sealed class StallGuardedGcsHttpClientFactory : IHttpClientFactory
{
    private readonly StallGuardedHandlers _handlers = new();

    public ConfigurableHttpClient CreateHttpClient(CreateHttpClientArgs args)
    {
        var client = _handlers.CreateHttpClient(args);
        client.Timeout = Timeout.InfiniteTimeSpan;
        return client;
    }

    private sealed class StallGuardedHandlers : HttpClientFactory
    {
        // As the Google client's own handler: no redirects followed, decompression only where the client asks for gzip.
        protected override HttpMessageHandler CreateHandler(CreateHttpClientArgs args)
        {
            var handler = StallGuardedHttp.Handler();
            handler.AllowAutoRedirect = false;
            handler.AutomaticDecompression = args.GZipEnabled ? DecompressionMethods.GZip | DecompressionMethods.Deflate : DecompressionMethods.None;
            return handler;
        }
    }
}
