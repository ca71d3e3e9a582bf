using LitestreamActors.Storage.Replica;
using LitestreamActors.Storage.Replica.Sftp;

namespace LitestreamActors.Storage.Tests.ReplicaClients;

/// <summary>Against the sshd that ./test.sh starts (LSA_SFTP_*); fails, never skips, when none runs.</summary>
public sealed class SftpReplicaClientTests : NetworkReplicaClientConformanceTests
{
    protected override bool ReadsLitestream03Backups => false;

    private static string Require(string name) => Environment.GetEnvironmentVariable(name)
        ?? throw new InvalidOperationException($"{name} is not set: run ./test.sh, which starts sshd");

    protected override string? LeaseUnsupportedBecause => "has no conditional writes";

    protected override Uri Server => new(Require("LSA_SFTP_URL"));

    protected override IReplicaClient NewClient(Uri server) => Client(Require("LSA_SFTP_HOST_KEY"), insecure: false, server);

    [Fact]
    public async Task A_host_key_that_does_not_match_is_refused()
    {
        await using var client = Client("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl", insecure: false);
        var e = await Assert.ThrowsAsync<StorageException>(() => client.ListAsync(0, CancellationToken.None));
        Assert.StartsWith("sftp list sftp://", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_host_key_an_explicit_opt_out_is_required()
    {
        var e = Assert.Throws<ReplicaConfigurationException>(() => Client(null, insecure: false));
        Assert.Contains("insecure-ignore-host-key", e.Message, StringComparison.Ordinal);
        await using var accepted = Client(null, insecure: true);
    }

    private static SftpReplicaClient Client(string? hostKey, bool insecure, Uri? server = null)
    {
        var url = new Uri((server ?? new Uri(Require("LSA_SFTP_URL"))).ToString().TrimEnd('/') + "/" + Guid.NewGuid().ToString("N"));
        var options = new Dictionary<string, string> { ["key-path"] = Require("LSA_SFTP_KEY") };
        if (hostKey is not null)
        {
            options["host-key"] = hostKey;
        }
        if (insecure)
        {
            options["insecure-ignore-host-key"] = "true";
        }
        return new SftpReplicaClient(SftpLocation.From(url, options));
    }
}
