using LitestreamActors.Actors.Database;

namespace LitestreamActors.Actors.Tests;

public sealed class QuietChecksTests
{
    [Fact]
    public void The_last_quiet_check_is_what_the_reader_recorded_last()
    {
        var checks = new QuietChecks();
        Assert.Null(checks.Last);
        var first = new DateTimeOffset(2026, 12, 4, 1, 0, 0, TimeSpan.Zero);
        checks.Checked(first);
        checks.Checked(first.AddSeconds(1));
        Assert.Equal(first.AddSeconds(1), checks.Last);
    }
}
