using LitestreamActors.Node.Logging;
using Microsoft.Extensions.Logging;

namespace LitestreamActors.Node.Tests;

public sealed class SinkLoggerTests
{
    [Theory]
    [InlineData("[INFO][12/04/2026 13:15:12.267Z][Thread 0012][akka://litestream/user/litestream/db-1/wal-reader] initialized db", "/user/litestream/db-1/wal-reader")]
    [InlineData("[INFO][12/04/2026 13:15:12.267Z][Thread 0012][akka.tcp://litestream@127.0.0.1:4053/user/litestream/db-1/wal-reader] initialized db", "/user/litestream/db-1/wal-reader")]
    [InlineData("[INFO][12/04/2026 13:15:12.267Z][Thread 0012][Cluster (akka.tcp://litestream@127.0.0.1:4053)] initialized db", "Cluster")]
    public void An_actor_systems_prefix_becomes_the_actor_field_local_or_remote(string line, string actor)
    {
        var output = new StringWriter();
        using (var sink = new LogSink(output))
        {
            new SinkLogger(sink, debug: false).LogInformation("{Line}", line);
        }

        var text = output.ToString().TrimEnd('\n');
        Assert.DoesNotContain("akka", text, StringComparison.Ordinal);
        Assert.EndsWith($"level=INFO msg=\"initialized db\" actor={actor}", text, StringComparison.Ordinal);
    }
}
