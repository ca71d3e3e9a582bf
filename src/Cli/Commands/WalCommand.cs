namespace LitestreamActors.Cli.Commands;

/// <summary><c>litestream wal</c>: the deprecated name of <c>ltx</c>, kept so old scripts run; it says so on stderr.</summary>
internal sealed class WalCommand(LtxCommand ltx) : ICommand
{
    public string Name => "wal";

    public string Summary => "Deprecated: use ltx";

    public string Usage => "The wal command is deprecated: it runs the ltx command.\n\n" + ltx.Usage.Replace("litestream ltx", "litestream wal", StringComparison.Ordinal);

    public Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context, CancellationToken cancellationToken)
    {
        context.Error.WriteLine("Warning: the wal command is deprecated; use \"litestream ltx\" instead.");
        return ltx.RunAsync(args, context, cancellationToken);
    }
}
