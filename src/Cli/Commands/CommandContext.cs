using LitestreamActors.Cli.Output;

namespace LitestreamActors.Cli.Commands;

/// <summary>Where a command writes: data to Out, logs and warnings to Error.</summary>
internal sealed record CommandContext(TextWriter Out, TextWriter Error)
{
    public CliLog Log { get; } = new(Error);
}
