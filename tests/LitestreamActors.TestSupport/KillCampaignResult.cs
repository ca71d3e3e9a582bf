namespace LitestreamActors.TestSupport;

/// <summary>
/// What a kill campaign did and proved: its kills (how many came before the node had initialized its database), the
/// application's actions while the node was down, the rows and TXIDs written, how many remembered states were
/// restored again unchanged, and the seed that replays its random choices.
/// </summary>
public sealed record KillCampaignResult(
    int Kills, int KilledBeforeReady, IReadOnlyDictionary<string, int> AppActions, long Rows, ulong Txid,
    int Remembered, int RememberedChecked, TimeSpan Elapsed, int Seed)
{
    public override string ToString() =>
        $"{Kills} kills ({KilledBeforeReady} before the database was initialized), app actions while down: "
        + string.Join(", ", AppActions.Select(a => $"{a.Key} {a.Value}"))
        + $"; {Rows} rows in {Txid} TXIDs, {RememberedChecked} of {Remembered} remembered states restored unchanged, {Elapsed.TotalSeconds:F0} s, seed {Seed}";
}
