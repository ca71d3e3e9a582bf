using LitestreamActors.Cli.Flags;
using LitestreamActors.Cli.Output;
using LitestreamActors.Storage.Ltx;
using LitestreamActors.Storage.Restore;

namespace LitestreamActors.Cli.Commands;

/// <summary><c>litestream verify</c> (ours): checks a replica without restoring it; exit 1 on any problem.</summary>
internal sealed class VerifyCommand : ICommand
{
    public string Name => "verify";

    public string Summary => "Check a replica's files and restore chain without restoring";

    public string Usage => $$"""
        The verify command reads every LTX file of a replica and checks its header, page
        checksums, page index and trailer, that TXIDs are contiguous within each level,
        and that a restore plan reaches the newest TXID. Each problem is printed on one
        line naming the file; the exit code is 1 when there is any.

        Usage:

            litestream verify [arguments] DB_PATH
            litestream verify [arguments] REPLICA_URL

        Arguments:

        {{ConfigArguments.Help}}

            -replica NAME
                Verifies the replica of that name when a database has several.

            -json
                Prints the result as JSON.
        """;

    public async Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context, CancellationToken cancellationToken)
    {
        var flags = new FlagSet(Name);
        var config = new ConfigArguments(flags);
        var replicaName = flags.OptionalString("replica");
        var json = flags.Bool("json");
        var argument = flags.ParseDatabaseOrReplica(args);
        await using var source = ReplicaSource.Resolve(argument, config.Path, !config.ExpandEnvironment, replicaName());
        var result = await ReplicaVerifier.VerifyAsync(source.Client, cancellationToken);
        if (json())
        {
            Json.Write(context.Out, new VerifyReport(
                source.Client.DisplayLocation, result.Files, Txid.Format(result.NewestTxid),
                result.RestorableTxid is { } txid ? Txid.Format(txid) : null, result.Problems));
        }
        else
        {
            foreach (var problem in result.Problems)
            {
                context.Out.WriteLine(problem);
            }
            context.Out.WriteLine(result.Problems.Count == 0
                ? $"ok: {result.Files} files, restorable to {(result.RestorableTxid is { } t ? Txid.Format(t) : "nothing (empty replica)")}"
                : $"{result.Problems.Count} problem(s) in {result.Files} files");
        }
        return result.Problems.Count == 0 ? 0 : 1;
    }

    internal sealed record VerifyReport(string Replica, int Files, string NewestTxid, string? RestorableTxid, IReadOnlyList<string> Problems);
}
