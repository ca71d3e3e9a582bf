namespace LitestreamActors.Cli.Commands;

/// <summary>One <c>litestream</c> subcommand.</summary>
internal interface ICommand
{
    string Name { get; }

    string Summary { get; }

    string Usage { get; }

    Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context, CancellationToken cancellationToken);
}
