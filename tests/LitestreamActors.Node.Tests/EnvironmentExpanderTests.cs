using LitestreamActors.Node.Configuration;

namespace LitestreamActors.Node.Tests;

/// <summary>Expansion must match Go's os.Expand, which upstream runs over the config text.</summary>
public sealed class EnvironmentExpanderTests
{
    private static readonly Dictionary<string, string> Variables = new()
    {
        ["BUCKET"] = "backups",
        ["A_1"] = "x",
        ["1"] = "one",
    };

    [Theory]
    [InlineData("url: s3://${BUCKET}/db", "url: s3://backups/db")]
    [InlineData("url: s3://$BUCKET/db", "url: s3://backups/db")]
    [InlineData("$A_1$A_1", "xx")]
    [InlineData("${UNSET}|$UNSET|", "||")]
    [InlineData("cost: 5$ each", "cost: 5$ each")]
    [InlineData("p@$$word", "p@word")]
    [InlineData("$1abc", "oneabc")]
    [InlineData("${}rest", "rest")]
    [InlineData("${unclosed", "unclosed")]
    [InlineData("end$", "end$")]
    public void Expands_as_go_does(string input, string expected)
    {
        Assert.Equal(expected, EnvironmentExpander.Expand(input, name => Variables.GetValueOrDefault(name)));
    }

    [Fact]
    public void Pid_is_this_process()
    {
        Assert.Equal($"/run/ls-{Environment.ProcessId}.sock", EnvironmentExpander.Expand("/run/ls-${PID}.sock", _ => null));
    }
}
