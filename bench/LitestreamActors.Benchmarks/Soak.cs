using LitestreamActors.TestSupport;

namespace LitestreamActors.Benchmarks;

/// <summary>
/// The long kill campaign of bench/soak.sh: the same <see cref="KillCampaign"/> as the suite's, with more kills, in
/// rounds of a hundred on fresh databases so each round's source stays small enough for its VACUUMs. Any lost or
/// rewritten commit, broken chain or differing restore fails the run, which then reports no figure.
/// </summary>
internal static class Soak
{
    public static async Task<int> RunAsync(string litestream, int kills, string directory)
    {
        var rounds = (kills + 99) / 100;
        var results = new List<KillCampaignResult>();
        for (var round = 0; round < rounds; round++)
        {
            var folder = Path.Combine(directory, $"round-{round + 1}");
            Directory.CreateDirectory(folder);
            var seed = Environment.TickCount + round;
            try
            {
                var result = await new KillCampaign(litestream, folder, seed)
                    .RunAsync(Math.Min(100, kills - round * 100), TimeSpan.FromSeconds(1), new LedgerLoad(1, int.MaxValue, 10, 100, Rate: 50));
                results.Add(result);
                Console.WriteLine($"round {round + 1}: {result}");
            }
            catch (InvalidOperationException e)
            {
                Console.Error.WriteLine($"round {round + 1} FAILED: {e.Message}");
                return 1;
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        var actions = results.SelectMany(r => r.AppActions).GroupBy(a => a.Key).Select(g => $"{g.Key} {g.Sum(a => a.Value)}");
        Console.WriteLine(
            $"total: {results.Sum(r => r.Kills)} kills ({results.Sum(r => r.KilledBeforeReady)} before the database was initialized), "
            + $"app actions while down: {string.Join(", ", actions)}; {results.Sum(r => r.Rows)} rows in {results.Sum(r => (long)r.Txid)} TXIDs; "
            + $"{results.Sum(r => r.RememberedChecked)} of {results.Sum(r => r.Remembered)} remembered states restored unchanged; "
            + $"0 lost commits, 0 broken chains; {results.Sum(r => r.Elapsed.TotalMinutes):F1} min");
        return 0;
    }
}
