namespace LitestreamActors.Node.Configuration;

/// <summary>Which config file a command reads: <c>-config</c>, else <c>LITESTREAM_CONFIG</c>, else /etc/litestream.yml.</summary>
public static class ConfigFile
{
    public const string DefaultPath = "/etc/litestream.yml";
    public const string EnvironmentVariable = "LITESTREAM_CONFIG";

    public static string Resolve(string? flagValue) =>
        !string.IsNullOrEmpty(flagValue) ? flagValue
        : Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
        : DefaultPath;
}
