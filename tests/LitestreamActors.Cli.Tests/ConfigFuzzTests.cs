using LitestreamActors.Cli.Commands;
using LitestreamActors.Node.Configuration;
using LitestreamActors.Storage;

namespace LitestreamActors.Cli.Tests;

/// <summary>
/// 2,000 mutated configs through the command line as the binary runs it (<c>databases -config</c>), then, when they
/// load, through <c>replicate</c>'s checks before anything starts: each either works or ends in one error line and a
/// non-zero exit, within 10 s, with no stack trace and no secret in the output; the mutations no reading can accept
/// always fail.
/// </summary>
public sealed class ConfigFuzzTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lsa-fuzz-").FullName;

    [Fact]
    public async Task Two_thousand_mutated_configs_each_work_or_end_in_one_error_line()
    {
        var mutator = new ConfigMutator(20261202, _dir);
        var path = Path.Combine(_dir, "litestream.yml");
        var rejected = 0;
        for (var i = 0; i < 2000; i++)
        {
            var mutation = mutator.Next();
            File.WriteAllText(path, mutation.Text);
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var exit = await CliApplication.RunAsync(["databases", "-config", path, "-socket", Path.Combine(_dir, "none.sock")], stdout, stderr, new ReceivedSignal(), CancellationToken.None)
                .WaitAsync(TimeSpan.FromSeconds(10));
            var errors = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var what = $"mutation {i} ({mutation.Kind}):\n{mutation.Text}\n--- exit {exit}, stderr:\n{stderr}";
            Assert.False(errors.Any(line => line.Contains("   at ", StringComparison.Ordinal) || line.Contains("Exception", StringComparison.Ordinal)), what);
            Assert.False((stdout + stderr.ToString()).Contains(ConfigMutator.Secret, StringComparison.Ordinal), "a secret in the output: " + what);
            if (exit != 0)
            {
                Assert.True(exit == 1 && errors.Count(l => l.StartsWith("Error: ", StringComparison.Ordinal)) == 1 && errors[^1].StartsWith("Error: ", StringComparison.Ordinal), what);
                rejected++;
                continue;
            }
            try
            {
                ReplicateCommand.Validate(ConfigLoader.LoadFile(path, expandEnvironment: true));
                Assert.False(mutation.MustFail, "accepted: " + what);
            }
            catch (StorageException e)
            {
                Assert.False(e.Message.Contains('\n', StringComparison.Ordinal) || e.Message.Contains(ConfigMutator.Secret, StringComparison.Ordinal), $"{e.Message}\n{what}");
                rejected++;
            }
        }
        Assert.InRange(rejected, 1000, 2000);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
