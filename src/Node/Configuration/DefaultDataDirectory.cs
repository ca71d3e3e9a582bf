namespace LitestreamActors.Node.Configuration;

/// <summary>
/// Where a node run from a config file keeps its own state when the config has no <c>data-dir</c> (ours): under
/// <c>$XDG_DATA_HOME</c> (else <c>~/.local/share</c>), one folder per config file.
/// </summary>
public static class DefaultDataDirectory
{
    public static string For(string configPath) => Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify),
        "litestream",
        ConfigFileKey.Of(configPath));
}
