namespace LitestreamActors.Node.Configuration;

/// <summary>
/// The config's <c>logging:</c> section (upstream's level, type and stderr; the file is ours). Lines go to stderr
/// unless <see cref="Stderr"/> is false (then stdout), and also to <see cref="File"/> when set.
/// </summary>
public sealed record LoggingSettings(string? Level, bool Json, bool Stderr, string? File)
{
    public static LoggingSettings Default { get; } = new(null, false, true, null);
}
