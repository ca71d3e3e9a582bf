using LitestreamActors.TestSupport;
using Xunit.Abstractions;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// 100 kill -9 at random moments while a writer commits and the application checkpoints and vacuums while the node is
/// down: no chain ever breaks, nothing synced is lost or rewritten, the replica ends equal to the source
/// (docs/reliability.md; <c>bench/soak.sh</c> runs 1,000).
/// </summary>
[Collection(nameof(WriterMatrixCollection))]
public sealed class KillCampaignTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task A_hundred_kills_at_random_moments_lose_nothing()
    {
        var seed = Environment.TickCount;
        var result = await new KillCampaign(LitestreamCli.Executable, _dir.Path, seed)
            .RunAsync(100, TimeSpan.FromSeconds(0.6), new LedgerLoad(1, int.MaxValue, 10, 100, Rate: 50));
        output.WriteLine(result.ToString());
        Assert.True(result.Kills - result.KilledBeforeReady >= 50, $"too few kills came while the node replicated: {result}");
        Assert.True(result.RememberedChecked >= 5, $"too few remembered states restored again: {result}");
    }

    public void Dispose() => _dir.Dispose();
}
