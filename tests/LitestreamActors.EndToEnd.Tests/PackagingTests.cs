using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// The publish profile makes one self-contained <c>litestream</c> file that replicates and restores on its own; the
/// shipped default config (<c>etc/litestream.yml</c>) and systemd unit are ones the binary accepts.
/// </summary>
public sealed class PackagingTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void The_single_file_binary_replicates_and_restores_and_the_shipped_config_loads()
    {
        var output = _dir.File("publish");
        // Without the ReadyToRun step (same files, IL only): precompiling a self-contained publish adds minutes to the suite.
        ProcessRunner.Run("dotnet", ["publish", Path.Combine(RepositoryPaths.Root, "src", "Cli"), "-p:PublishProfile=linux-x64", "-p:PublishReadyToRun=false",
            $"-p:PublishDir={output}/", "-nologo", "-v", "quiet"],
            timeoutSeconds: 600).EnsureSuccess("dotnet publish");
        var binary = Path.Combine(output, "litestream");
        Assert.Equal(["litestream"], Directory.GetFiles(output).Select(Path.GetFileName));

        var db = _dir.File("app.db");
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(new Random(140), 20));
        var replica = "file://" + _dir.File("replica");
        ProcessRunner.Run(binary, ["replicate", "-once", db, replica]).EnsureSuccess("replicate -once");
        var restored = _dir.File("restored.db");
        ProcessRunner.Run(binary, ["restore", "-o", restored, replica]).EnsureSuccess("restore");
        Assert.Equal(Sqlite3.Dump(db), Sqlite3.Dump(restored));

        var shipped = ProcessRunner.Run(binary, ["databases", "-config", Path.Combine(RepositoryPaths.Root, "etc", "litestream.yml")]).EnsureSuccess("databases");
        Assert.Equal("path                 replica\n/var/lib/app/app.db  file\n", shipped.StandardOutput);
        var unit = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "etc", "litestream.service"));
        Assert.Contains("ExecStart=/usr/bin/litestream replicate -config /etc/litestream.yml", unit, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
