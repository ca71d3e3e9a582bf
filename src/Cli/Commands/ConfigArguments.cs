using LitestreamActors.Cli.Flags;

namespace LitestreamActors.Cli.Commands;

/// <summary>The <c>-config</c> and <c>-no-expand-env</c> flags every config-reading command takes, and their help.</summary>
internal sealed class ConfigArguments
{
    public const string Help = """
            -config PATH
                Specifies the configuration file.
                Defaults to $LITESTREAM_CONFIG or /etc/litestream.yml

            -no-expand-env
                Disables environment variable expansion in the configuration file.
        """;

    private readonly Func<string?> _path;
    private readonly Func<bool> _noExpandEnv;

    public ConfigArguments(FlagSet flags)
    {
        _path = flags.OptionalString("config");
        _noExpandEnv = flags.Bool("no-expand-env");
    }

    public string? Path => _path();

    public bool ExpandEnvironment => !_noExpandEnv();
}
