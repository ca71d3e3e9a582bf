using LitestreamActors.TestSupport;

namespace LitestreamActors.Cli.Tests;

/// <summary>
/// <c>restore</c> as the binary runs it, from replicas real Litestream wrote with one file mutated at random (a flipped
/// byte, a cut, overwritten bytes, an empty file, trailing garbage; for 0.3 backups also inside the compressed WAL and
/// snapshot): within 10 s it either restores a database that passes its integrity check or ends in one error line and
/// exit 1, leaving nothing at the output path. Every byte of an LTX file is checksummed, so those always fail, naming
/// the file.
/// </summary>
public sealed class ReplicaFileFuzzTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Mutated_ltx_files_fail_in_one_line_naming_the_file()
    {
        var random = new Random(16);
        for (var i = 0; i < 300; i++)
        {
            var replica = Copy(Path.Combine(RepositoryPaths.LtxFixture, "replica"), $"ltx-{i}");
            var files = Directory.GetFiles(Path.Combine(replica, "ltx", "0"));
            var victim = files[random.Next(files.Length)];
            var kind = Mutate(victim, random);
            var (exit, errors, output) = await RestoreAsync(replica, i);
            var what = $"case {i}: {kind} of {Path.GetFileName(victim)}: exit {exit}, {string.Join(" | ", errors)}";
            Assert.True(exit == 1 && errors.Length == 1 && errors[0].StartsWith("Error: ", StringComparison.Ordinal), what);
            Assert.True(errors[0].Contains(Path.GetFileName(victim), StringComparison.Ordinal), what);
            Assert.False(File.Exists(output) || File.Exists(output + ".tmp"), what);
        }
    }

    [Fact]
    public async Task Mutated_v3_backups_restore_a_sound_database_or_fail_in_one_line()
    {
        var random = new Random(3);
        var failed = 0;
        for (var i = 0; i < 200; i++)
        {
            var replica = Copy(Path.Combine(RepositoryPaths.V3Fixture, "replica"), $"v3-{i}");
            var files = Directory.GetFiles(replica, "*.lz4", SearchOption.AllDirectories);
            var victim = files[random.Next(files.Length)];
            var kind = random.Next(2) == 0 ? Mutate(victim, random) : "inside: " + MutateInside(victim, random);
            var (exit, errors, output) = await RestoreAsync(replica, i);
            var what = $"case {i}: {kind} of {Path.GetRelativePath(replica, victim)}: exit {exit}, {string.Join(" | ", errors)}";
            if (exit == 0)
            {
                var check = Sqlite3.Run(output, "PRAGMA integrity_check;\n");
                Assert.True(check.ExitCode == 0 && check.StandardOutput.Trim() == "ok", $"{what}: restored a database that fails its integrity check: {check.StandardOutput}{check.StandardError}");
                continue;
            }
            failed++;
            Assert.True(exit == 1 && errors.Length == 1 && errors[0].StartsWith("Error: ", StringComparison.Ordinal), what);
            Assert.False(File.Exists(output) || File.Exists(output + ".tmp"), what);
        }
        Assert.True(failed >= 100, $"only {failed} of 200 mutated backups failed to restore");
    }

    public void Dispose() => _dir.Dispose();

    private async Task<(int Exit, string[] Errors, string Output)> RestoreAsync(string replica, int i)
    {
        var output = _dir.File($"restored-{i}.db");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CliApplication.RunAsync(["restore", "-o", output, "file://" + replica], stdout, stderr, new ReceivedSignal(), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(10));
        var errors = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.Contains("level=INFO", StringComparison.Ordinal)).ToArray();
        return (exit, errors, output);
    }

    private static string Mutate(string path, Random random)
    {
        var bytes = File.ReadAllBytes(path);
        switch (random.Next(5))
        {
            case 0:
                var at = random.Next(bytes.Length);
                bytes[at] ^= (byte)(1 << random.Next(8));
                File.WriteAllBytes(path, bytes);
                return $"bit flip at {at}";
            case 1:
                var length = random.Next(bytes.Length);
                File.WriteAllBytes(path, bytes[..length]);
                return $"cut to {length}";
            case 2:
                var start = random.Next(bytes.Length);
                var span = bytes.AsSpan(start, Math.Min(random.Next(1, 64), bytes.Length - start));
                random.NextBytes(span);
                File.WriteAllBytes(path, bytes);
                return $"random bytes at {start}";
            case 3:
                File.WriteAllBytes(path, []);
                return "emptied";
            default:
                var garbage = new byte[random.Next(1, 100)];
                random.NextBytes(garbage);
                File.WriteAllBytes(path, [.. bytes, .. garbage]);
                return "trailing garbage";
        }
    }

    // The WAL segment or snapshot itself mutated, then compressed again, so the WAL and page parsing meet it.
    private string MutateInside(string path, Random random)
    {
        var raw = path + ".raw";
        ProcessRunner.Run("lz4", ["-d", "-q", "-f", path, raw]).EnsureSuccess("lz4 -d");
        var kind = Mutate(raw, random);
        ProcessRunner.Run("lz4", ["-z", "-q", "-f", raw, path]).EnsureSuccess("lz4 -z");
        File.Delete(raw);
        return kind;
    }

    private string Copy(string from, string name)
    {
        var to = _dir.File(name);
        DirectoryCopy.Copy(from, to);
        return to;
    }
}
