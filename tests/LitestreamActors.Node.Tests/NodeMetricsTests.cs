using LitestreamActors.Actors.Events;
using LitestreamActors.Node.Metrics;
using Prometheus;

namespace LitestreamActors.Node.Tests;

public sealed class NodeMetricsTests
{
    [Fact]
    public async Task Each_capture_check_failure_is_counted_per_database_and_check()
    {
        var metrics = new NodeMetrics();
        metrics.Observe(new CaptureCheckFailed("/data/app.db", "cheap", 7, "page 1 gives the database size as 3 pages, SQLite 5"));
        metrics.Observe(new CaptureCheckFailed("/data/app.db", "cheap", 9, "the file's database size is 4 pages, SQLite's 5"));
        metrics.Observe(new CaptureCheckFailed("/data/app.db", "full", 9, "page 12 differs"));
        using var text = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(text);
        var lines = System.Text.Encoding.UTF8.GetString(text.ToArray()).Split('\n');
        Assert.Contains("litestream_capture_check_failures_total{db=\"/data/app.db\",check=\"cheap\"} 2", lines);
        Assert.Contains("litestream_capture_check_failures_total{db=\"/data/app.db\",check=\"full\"} 1", lines);
    }
}
