using LitestreamActors.Storage.Replica;
using LitestreamActors.Storage.Replica.Nats;

namespace LitestreamActors.Storage.Tests.ReplicaClients;

/// <summary>Against the nats-server (JetStream) that ./test.sh starts (LSA_NATS_URL); fails, never skips, when none runs.</summary>
public sealed class NatsReplicaClientTests : NetworkReplicaClientConformanceTests
{
    protected override Uri Server => new(Environment.GetEnvironmentVariable("LSA_NATS_URL")
        ?? throw new InvalidOperationException("LSA_NATS_URL is not set: run ./test.sh, which starts nats-server"));

    /// <summary>A fresh bucket each time: the client creates it, as upstream users expect.</summary>
    protected override IReplicaClient NewClient(Uri server) =>
        new NatsReplicaClient(NatsLocation.From(new Uri(server, "/lsa-" + Guid.NewGuid().ToString("N")[..12]), new Dictionary<string, string>()));

    [Fact]
    public async Task Wrong_credentials_are_one_clear_error_that_names_no_secret()
    {
        var url = new UriBuilder(Server) { UserName = "lsa", Password = "wrong-pass-xyz", Path = "/creds" }.Uri;
        await using var client = new NatsReplicaClient(NatsLocation.From(url, new Dictionary<string, string>()));
        var e = await Assert.ThrowsAnyAsync<Exception>(() => client.ListAsync(0, CancellationToken.None));
        Assert.IsType<StorageException>(e);
        Assert.DoesNotContain("wrong-pass-xyz", e.Message, StringComparison.Ordinal);
    }
}
