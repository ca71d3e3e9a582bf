using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using LitestreamActors.Storage.Replica;
using LitestreamActors.TestSupport;

namespace LitestreamActors.Benchmarks;

/// <summary>
/// Upload and download throughput of each backend's client against its local server: files of 4 MiB of random bytes
/// (LTX pages of real data compress; these do not), written one after another and read back whole. Prints one line per
/// backend with the median of three rounds.
/// </summary>
internal static class BackendThroughput
{
    private const int FileBytes = 4 << 20;
    private const int Files = 8;

    public static async Task<int> RunAsync()
    {
        await using var gcs = await GcsJsonApiServer.StartAsync();
        var payload = RandomNumberGenerator.GetBytes(FileBytes);
        Console.WriteLine("backend  upload_MBps  download_MBps  (4 MiB files, median of 3 rounds of 8)");
        foreach (var backend in BackendEndpoints.Names)
        {
            var up = new List<double>();
            var down = new List<double>();
            for (var round = 0; round < 3; round++)
            {
                var client = ReplicaClientFactory.FromUrl(BackendEndpoints.Url(backend, gcs.Endpoint));
                var clock = Stopwatch.StartNew();
                for (var i = 1; i <= Files; i++)
                {
                    await client.WriteAsync(0, (ulong)i, (ulong)i, new MemoryStream(payload), DateTimeOffset.UtcNow, CancellationToken.None);
                }
                up.Add(Rate(clock.Elapsed));
                clock.Restart();
                for (var i = 1; i <= Files; i++)
                {
                    await using var stream = await client.OpenAsync(0, (ulong)i, (ulong)i, 0, null, CancellationToken.None);
                    await stream.CopyToAsync(Stream.Null);
                }
                down.Add(Rate(clock.Elapsed));
                (client as IDisposable)?.Dispose();
                if (client is IAsyncDisposable asyncClient)
                {
                    await asyncClient.DisposeAsync();
                }
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{backend,-8} {Median(up),11:0.0}  {Median(down),13:0.0}"));
        }
        return 0;
    }

    private static double Rate(TimeSpan elapsed) => (double)FileBytes * Files / (1 << 20) / elapsed.TotalSeconds;

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
