using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary><c>litestream verify</c> on a replica Litestream 0.5.17 wrote: clean, then with a flipped bit and a gap.</summary>
public sealed class VerifyTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void A_sound_replica_verifies_and_a_damaged_one_names_each_problem_with_exit_1()
    {
        var replica = _dir.File("replica");
        DirectoryCopy.Copy(Path.Combine(RepositoryPaths.LtxFixture, "replica"), replica);
        var clean = LitestreamCli.Run("verify", "file://" + replica).EnsureSuccess("verify");
        Assert.StartsWith("ok: 5 files, restorable to 0000000000000005", clean.StandardOutput, StringComparison.Ordinal);

        var level0 = Path.Combine(replica, "ltx", "0");
        var flipped = Path.Combine(level0, "0000000000000002-0000000000000002.ltx");
        var bytes = File.ReadAllBytes(flipped);
        bytes[bytes.Length - 20] ^= 0x01;
        File.WriteAllBytes(flipped, bytes);
        File.Delete(Path.Combine(level0, "0000000000000004-0000000000000004.ltx"));

        var damaged = LitestreamCli.Run("verify", "file://" + replica);
        Assert.Equal(1, damaged.ExitCode);
        var lines = damaged.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("ltx/0/0000000000000002-0000000000000002.ltx: ", StringComparison.Ordinal));
        Assert.Contains("level 0: gap between 0000000000000003-0000000000000003.ltx and 0000000000000005-0000000000000005.ltx", lines);
        Assert.Contains(lines, l => l.StartsWith("the newest TXID 0000000000000005 is not restorable", StringComparison.Ordinal) || l.StartsWith("no restorable chain", StringComparison.Ordinal));
    }

    public void Dispose() => _dir.Dispose();
}
