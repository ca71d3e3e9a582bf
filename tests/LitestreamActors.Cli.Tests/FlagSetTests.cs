using LitestreamActors.Cli.Flags;

namespace LitestreamActors.Cli.Tests;

/// <summary>Flags must parse as Go's flag package parses them, since users keep their upstream scripts.</summary>
public sealed class FlagSetTests
{
    [Fact]
    public void Reads_one_or_two_dashes_equals_or_separate_values_and_bare_booleans()
    {
        var flags = new FlagSet("restore");
        var output = flags.OptionalString("o");
        var txid = flags.OptionalString("txid");
        var json = flags.Bool("json");
        var dry = flags.Bool("dry-run");
        flags.Parse(["-o", "out.db", "--txid=00000000000000aa", "-json", "--dry-run=false", "DB"]);
        Assert.Equal(("out.db", "00000000000000aa", true, false), (output(), txid(), json(), dry()));
        Assert.Equal(["DB"], flags.Arguments);
    }

    [Fact]
    public void Stops_at_the_first_argument_or_double_dash()
    {
        var flags = new FlagSet("ltx");
        flags.Bool("json");
        flags.Parse(["--", "-json"]);
        Assert.Equal(["-json"], flags.Arguments);
    }

    [Fact]
    public void A_known_flag_after_the_arguments_is_a_usage_error()
    {
        var flags = new FlagSet("ltx");
        flags.Bool("json");
        var e = Assert.Throws<UsageException>(() => flags.Parse(["file:///r", "-json"]));
        Assert.Equal("flag -json must come before the ltx arguments", e.Message);
    }

    [Theory]
    [InlineData("-unknown")]
    [InlineData("-o")]
    [InlineData("-json=maybe")]
    public void Bad_flags_are_usage_errors(string arg)
    {
        var flags = new FlagSet("restore");
        flags.OptionalString("o");
        flags.Bool("json");
        Assert.Throws<UsageException>(() => flags.Parse([arg]));
    }

    [Theory]
    [InlineData("-h")]
    [InlineData("-help")]
    [InlineData("--help")]
    public void Help_flags_ask_for_help(string arg)
    {
        Assert.Throws<HelpRequestedException>(() => new FlagSet("x").Parse([arg]));
    }
}
