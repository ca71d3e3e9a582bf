using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>Replicate to the s3rver ./test.sh starts and restore from it, by URL, with credentials from the environment.</summary>
public sealed class S3ReplicationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static string Endpoint => Environment.GetEnvironmentVariable("LSA_S3_ENDPOINT")
        ?? throw new InvalidOperationException("LSA_S3_ENDPOINT is not set: run ./test.sh, which starts s3rver");

    [Fact]
    public void A_database_replicated_to_s3_restores_to_the_same_dump()
    {
        Environment.SetEnvironmentVariable("LITESTREAM_ACCESS_KEY_ID", "S3RVER");
        Environment.SetEnvironmentVariable("LITESTREAM_SECRET_ACCESS_KEY", "S3RVER");
        var url = $"s3://lsa-test/e2e-{Guid.NewGuid():N}/app?endpoint={Endpoint}&forcePathStyle=true";
        var db = _dir.File("app.db");
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(new Random(5), 50));

        using var replicate = ReplicateProcess.Start(db, url);
        Eventually.True(() => Listed(url) >= 1, TimeSpan.FromSeconds(60), () => replicate.Output);
        Sqlite3.Execute(db, "BEGIN;\n" + RandomRows.Inserts(new Random(6), 300, 1500) + "COMMIT;\nDELETE FROM t WHERE id % 3 = 0;\n");
        Assert.Equal(0, replicate.Stop());

        var restored = _dir.File("restored.db");
        LitestreamCli.Run("restore", "-integrity-check", "full", "-o", restored, url).EnsureSuccess("restore from s3");
        Assert.Equal(Sqlite3.Dump(db), Sqlite3.Dump(restored));
    }

    public void Dispose() => _dir.Dispose();

    private static int Listed(string url)
    {
        var result = LitestreamCli.Run("ltx", "-json", url);
        return result.ExitCode == 0 ? System.Text.Json.JsonDocument.Parse(result.StandardOutput).RootElement.GetArrayLength() : 0;
    }
}
