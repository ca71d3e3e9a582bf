using System.Net;
using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// The database's local state folder (its L0 files) on a small tmpfs that fills up while a writer commits: one error
/// line naming the folder, <c>/health/ready</c> 503 with the reason, the application's writes go on, nothing partial is
/// uploaded; once space returns replication resumes by itself with no gap and the replica restores to the source. A
/// restore whose target fills up exits 1 with one line and leaves nothing at the output path.
/// </summary>
[Collection(nameof(WriterMatrixCollection))]
public sealed class FullDiskTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task A_full_local_disk_is_reported_and_replication_resumes_with_no_gap_once_space_returns()
    {
        var db = _dir.File("app.db");
        var replica = _dir.File("replica");
        var config = _dir.File("litestream.yml");
        using var disk = new TmpfsMount(_dir.File("small"), 16);
        var meta = Path.Combine(disk.Path, "app-litestream");
        var port = FreeTcpPort.Next();
        File.WriteAllText(config, $"addr: 127.0.0.1:{port}\ndbs:\n  - path: {db}\n    meta-path: {meta}\n    monitor-interval: 250ms\n"
            + $"    replica:\n      path: {replica}\n      sync-interval: 100ms\n");
        Sqlite3.Execute(db, Ledger.Schema);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var node = ReplicateProcess.Start("-config", config);
        Eventually.True(() => ReplicaFiles.MaxL0Txid(replica) >= 1, TimeSpan.FromSeconds(60), () => node.Output);
        var writing = DotNetLedgerWriter.RunAsync(db, new LedgerLoad(1, 2000, 20, 200, Rate: 100));

        await Task.Delay(1000);
        disk.Fill();
        var full = $"no space left on device in {meta}";
        Eventually.True(() => node.Output.Contains(full, StringComparison.Ordinal), TimeSpan.FromSeconds(30), () => node.Output);
        var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains(full, await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var rowsWhenFull = Ledger.Rows(db);
        await Task.Delay(3000);
        Assert.True(Ledger.Rows(db) > rowsWhenFull, "the application's writes stopped while our disk was full");
        Assert.False(writing.IsCompleted, "the writer ended before space returned");
        Assert.Equal(1, node.Output.Split('\n').Count(line => line.Contains(full, StringComparison.Ordinal)));

        disk.Free();
        var stuckAt = ReplicaFiles.MaxL0Txid(replica);
        Eventually.True(() => ReplicaFiles.MaxL0Txid(replica) > stuckAt, TimeSpan.FromSeconds(30), () => node.Output);
        Eventually.True(() => http.GetAsync(new Uri("/health/ready", UriKind.Relative)).Result.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30), () => node.Output);
        await writing;
        LitestreamCli.Run("sync", "-config", config, "-wait", "-timeout", "120", db).EnsureSuccess("sync -wait\n" + node.Output);
        Assert.Equal(0, node.Stop());

        Assert.Null(ReplicaFiles.ChainProblem(replica));
        Assert.Empty(Directory.GetFiles(replica, "*.tmp", SearchOption.AllDirectories));
        LitestreamCli.Run("verify", "file://" + replica).EnsureSuccess("verify");
        Assert.Equal(Sqlite3.Dump(db), LitestreamCli.RestoredDump("file://" + replica, _dir.File("latest.db")));
    }

    [Fact]
    public void A_restore_whose_target_fills_up_exits_1_with_one_line_and_leaves_nothing()
    {
        var db = _dir.File("app.db");
        var replica = _dir.File("replica");
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(new Random(70), 3000, 1000));
        using (var node = ReplicateProcess.Start(db, "file://" + replica))
        {
            Eventually.True(() => ReplicaFiles.MaxL0Txid(replica) >= 1, TimeSpan.FromSeconds(60), () => node.Output);
            Assert.Equal(0, node.Stop());
        }
        var pages = long.Parse(Sqlite3.Execute(db, "PRAGMA page_count;\n").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(pages * 4096 > 3 << 19, $"the database ({pages} pages) is too small to fill the target");
        using var disk = new TmpfsMount(_dir.File("small"), 1);
        var output = Path.Combine(disk.Path, "restored.db");

        var restore = LitestreamCli.Run("restore", "-o", output, "file://" + replica);
        Assert.Equal(1, restore.ExitCode);
        var line = Assert.Single(restore.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("no space left on device", line, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(Directory.GetFiles(disk.Path));
    }

    public void Dispose() => _dir.Dispose();
}
