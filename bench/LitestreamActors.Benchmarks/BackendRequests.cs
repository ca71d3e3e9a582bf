using System.Globalization;
using System.Text.RegularExpressions;
using LitestreamActors.TestSupport;

namespace LitestreamActors.Benchmarks;

/// <summary>
/// The requests <c>litestream replicate</c> makes to an HTTP backend, counted by a proxy in front of the server: per
/// minute while the database is idle, then while an application commits 10 transactions a second, split by kind so a
/// LIST per sync would show.
/// </summary>
internal static partial class BackendRequests
{
    public static async Task<int> RunAsync(string backend, string litestream, double seconds)
    {
        await using var gcs = await GcsJsonApiServer.StartAsync();
        var url = BackendEndpoints.Url(backend, gcs.Endpoint);
        var server = ServerOf(url);
        using var proxy = new TcpFaultProxy(server.Host, server.Port);
        var viaProxy = url.Replace($"{server.Host}:{server.Port}", $"127.0.0.1:{proxy.Port}", StringComparison.Ordinal);
        using var dir = new TempDirectory();
        var db = dir.File("bench.db");
        PacedWriter.Run(db, 10, 1);

        using var replicate = ReplicateProcess.StartExecutable(litestream, db, viaProxy);
        // Past the first level 1 boundary (30 s) and the retention check it triggers, so "idle" is the steady state.
        await Task.Delay(TimeSpan.FromSeconds(45));
        var before = Count(proxy.Uploaded);
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var idle = Count(proxy.Uploaded) - before;
        PacedWriter.Run(db, 10, seconds);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var busy = Count(proxy.Uploaded) - before - idle;
        if (replicate.Stop() != 0 || Count(proxy.Uploaded).Total == 0)
        {
            Console.Error.WriteLine($"{backend}: replicate made no request through the proxy:\n{replicate.Output}");
            return 1;
        }

        var perMinute = 60 / seconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{backend}: idle {idle.Total * perMinute:0} requests/min ({idle}); busy at 10 tx/s {busy.Total * perMinute:0} requests/min ({busy})"));
        return 0;
    }

    private static Uri ServerOf(string url)
    {
        var endpoint = Regex.Match(Uri.UnescapeDataString(url), "endpoint=(https?://[^&/]+)");
        return endpoint.Success ? new Uri(endpoint.Groups[1].Value) : new Uri("http://" + new Uri(url).Authority);
    }

    private static Requests Count(string traffic)
    {
        var lines = RequestLine().Matches(traffic).Select(m => m.Groups[1].Value + (m.Groups[2].Value.Contains("prefix=", StringComparison.Ordinal) ? " list" : string.Empty)).ToList();
        return new Requests(lines.Count, lines.Count(l => l.EndsWith(" list", StringComparison.Ordinal)), lines.Count(l => l == "PUT"), lines.Count(l => l == "GET"));
    }

    [GeneratedRegex("(GET|PUT|POST|HEAD|DELETE) (/\\S*) HTTP/1\\.1\\r\\n")]
    private static partial Regex RequestLine();

    private readonly record struct Requests(int Total, int Lists, int Puts, int Gets)
    {
        public static Requests operator -(Requests a, Requests b) => new(a.Total - b.Total, a.Lists - b.Lists, a.Puts - b.Puts, a.Gets - b.Gets);

        public override string ToString() => $"list={Lists} put={Puts} get={Gets}";
    }
}
