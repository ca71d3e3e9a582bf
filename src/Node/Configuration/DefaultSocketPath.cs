namespace LitestreamActors.Node.Configuration;

/// <summary>
/// Where a node run from a config file listens when the config names no socket (ours; upstream has none by default):
/// a private folder under <c>$XDG_RUNTIME_DIR</c> (else the temp folder), one socket per config file, so
/// <c>litestream databases</c> with the same config finds the running node.
/// </summary>
public static class DefaultSocketPath
{
    public static string For(string configPath)
    {
        var runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } dir && Directory.Exists(dir) ? dir : Path.GetTempPath();
        return Path.Combine(runtime, "litestream-" + Environment.UserName, ConfigFileKey.Of(configPath) + ".sock");
    }
}
