using LitestreamActors.Node.Logging;
using Microsoft.Extensions.Logging;

namespace LitestreamActors.Node.Tests;

public sealed class DeferredSinkLoggerFactoryTests
{
    [Fact]
    public void Lines_logged_before_the_sink_is_named_are_written_then_in_order_filtered_by_its_level()
    {
        using var factory = new DeferredSinkLoggerFactory();
        var akka = factory.CreateLogger("Akka.Event.LoggerFactoryLogger");
        akka.LogDebug("debug before");
        akka.LogInformation("first");
        akka.LogWarning("second");
        var output = new StringWriter();
        using var sink = new LogSink(output);

        factory.Bind(new NodeLog(LogLevel.Information, sink));
        akka.LogDebug("debug after");
        akka.LogError("third");

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Contains("level=INFO msg=first", lines[0], StringComparison.Ordinal);
        Assert.Contains("level=WARN msg=second", lines[1], StringComparison.Ordinal);
        Assert.Contains("level=ERROR msg=third", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Microsoft_categories_write_warnings_and_above_only_as_the_node_logging_does()
    {
        using var factory = new DeferredSinkLoggerFactory();
        var output = new StringWriter();
        using var sink = new LogSink(output);
        factory.Bind(new NodeLog(LogLevel.Debug, sink));

        var hosting = factory.CreateLogger("Microsoft.Hosting.Lifetime");
        hosting.LogInformation("chatter");
        hosting.LogWarning("worth a line");
        factory.CreateLogger("litestream").LogDebug("ours at debug");

        var text = output.ToString();
        Assert.DoesNotContain("chatter", text, StringComparison.Ordinal);
        Assert.Contains("msg=\"worth a line\"", text, StringComparison.Ordinal);
        Assert.Contains("msg=\"ours at debug\"", text, StringComparison.Ordinal);
    }
}
