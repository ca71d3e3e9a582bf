using LitestreamActors.Cli.Output;

namespace LitestreamActors.Cli.Commands;

/// <summary>Where a command writes: data to Out, logs and warnings to Error.</summary>
internal sealed record CommandContext(TextWriter Out, TextWriter Error)
{
    public CliLog Log { get; } = new(new Node.Logging.LogSink(Error));

    /// <summary>The stop signal that cancelled the command, if one did.</summary>
    public ReceivedSignal Signal { get; init; } = new();
}
