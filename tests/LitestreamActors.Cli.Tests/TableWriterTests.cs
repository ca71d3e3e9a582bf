using LitestreamActors.Cli.Output;

namespace LitestreamActors.Cli.Tests;

public sealed class TableWriterTests
{
    [Fact]
    public void Pads_columns_by_two_and_leaves_the_last_unpadded_as_tabwriter_does()
    {
        var table = new TableWriter("level", "size", "created");
        table.Add("0", "123456", "2026-01-01T00:00:00Z");
        var text = new StringWriter();
        table.WriteTo(text);
        Assert.Equal("level  size    created\n0      123456  2026-01-01T00:00:00Z\n", text.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Times_print_in_go_formats()
    {
        var time = new DateTimeOffset(2026, 11, 25, 21, 41, 26, 857, TimeSpan.Zero);
        Assert.Equal("2026-11-25T21:41:26Z", TimeFormat.Rfc3339(time));
        Assert.Equal("2026-11-25T21:41:26.857Z", TimeFormat.Rfc3339Nano(time));
        Assert.Equal("2026-11-25T21:41:26Z", TimeFormat.Rfc3339Nano(time.AddMilliseconds(-857)));
        Assert.True(TimeFormat.TryParseRfc3339("2026-11-25T22:41:26.5+01:00", out var parsed));
        Assert.Equal(time.AddMilliseconds(-357), parsed);
        Assert.False(TimeFormat.TryParseRfc3339("2026-11-25 21:41", out _));
    }
}
