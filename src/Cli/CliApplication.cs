using LitestreamActors.Cli.Commands;
using LitestreamActors.Cli.Flags;
using LitestreamActors.Storage;

namespace LitestreamActors.Cli;

/// <summary>
/// Dispatches <c>litestream &lt;command&gt;</c>. Exit codes: 0 success, 1 an error (one line on stderr), 2 a wrong
/// command line. No exception ever reaches the user as a stack trace.
/// </summary>
internal static class CliApplication
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int UsageError = 2;

    public static async Task<int> RunAsync(
        IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, ReceivedSignal signal, CancellationToken cancellationToken)
    {
        var commands = Commands();
        var context = new CommandContext(stdout, stderr) { Signal = signal };
        if (args.Count == 0)
        {
            stderr.Write(TopLevelUsage(commands));
            return UsageError;
        }
        var name = args[0];
        if (name is "-h" or "-help" or "--help")
        {
            stdout.Write(TopLevelUsage(commands));
            return Success;
        }
        if (name == "help")
        {
            if (args.Count > 1 && commands.FirstOrDefault(c => c.Name == args[1]) is { } topic)
            {
                stdout.WriteLine(topic.Usage);
            }
            else
            {
                stdout.Write(TopLevelUsage(commands));
            }
            return Success;
        }
        var command = commands.FirstOrDefault(c => c.Name == name);
        if (command is null)
        {
            stderr.WriteLine($"Error: litestream {name}: unknown command");
            stderr.WriteLine("Run 'litestream help' for the list of commands.");
            return UsageError;
        }

        try
        {
            return await command.RunAsync(args.Skip(1).ToArray(), context, cancellationToken);
        }
        catch (HelpRequestedException)
        {
            stdout.WriteLine(command.Usage);
            return Success;
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"Error: {e.Message}");
            stderr.WriteLine($"Run 'litestream {command.Name} -h' for usage.");
            return UsageError;
        }
        catch (StorageException e)
        {
            stderr.WriteLine($"Error: {e.Message}");
            return Failure;
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine("Error: interrupted");
            return Failure;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"Error: {e.Message}");
            return Failure;
        }
        catch (Exception e)
        {
            // A defect of ours: still one line and a failure, never a stack trace.
            stderr.WriteLine(UnexpectedErrorLine.For(e));
            return Failure;
        }
    }

    private static IReadOnlyList<ICommand> Commands()
    {
        var ltx = new LtxCommand();
        return
        [
            new DatabasesCommand(), new GenerationsCommand(), ltx, new MigrateCommand(), new ReplicateCommand(), new ResetCommand(), new RestoreCommand(), new SnapshotsCommand(), new VerifyCommand(),
            new StatusCommand(), new VersionCommand(), new WalCommand(ltx), new ClusterCommand(), new ActorsCommand(), .. DatabaseRequestCommand.All, .. NodeQueryCommand.All,
        ];
    }

    private static string TopLevelUsage(IReadOnlyList<ICommand> commands)
    {
        var visible = commands.Where(c => c.Name != "wal").OrderBy(c => c.Name, StringComparer.Ordinal);
        var lines = string.Join("\n", visible.Select(c => $"    {c.Name,-12}{c.Summary}"));
        return $"""
            litestream is a tool for replicating SQLite databases.

            Usage:

                litestream <command> [arguments]

            The commands are:

            {lines}

            Run 'litestream <command> -h' for the arguments of a command.

            """;
    }
}
