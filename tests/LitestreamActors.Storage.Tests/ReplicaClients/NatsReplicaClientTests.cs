using LitestreamActors.Storage.Replica;
using LitestreamActors.Storage.Replica.Nats;

namespace LitestreamActors.Storage.Tests.ReplicaClients;

/// <summary>Against the nats-server (JetStream) that ./test.sh starts (LSA_NATS_URL); fails, never skips, when none runs.</summary>
public sealed class NatsReplicaClientTests : NetworkReplicaClientConformanceTests
{
    protected override bool ReadsLitestream03Backups => false;

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

    [Fact]
    public async Task A_server_requiring_tls_client_certificates_and_an_nkey_is_reached_with_root_cas_and_the_seed_file()
    {
        using var server = new SecuredNatsServer();
        var options = new Dictionary<string, string>
        {
            ["nkey"] = server.SeedFile,
            ["root-cas"] = server.CaFile,
            ["client-cert"] = server.CertFile("client"),
            ["client-key"] = server.KeyFile("client"),
        };
        var url = new Uri($"nats://127.0.0.1:{server.Port}/secured");
        await using (var client = new NatsReplicaClient(NatsLocation.From(url, options)))
        {
            var bytes = LtxFiles.Encode(1024, 1, 1, 1, [(1, LtxFiles.Page(1024, 1))]);
            await client.WriteAsync(0, 1, 1, new MemoryStream(bytes), Time, CancellationToken.None);
            Assert.Equal(bytes, await Read(client, 0, 1, 1, 0, null));
        }

        var untrusted = new Dictionary<string, string>(options);
        untrusted.Remove("root-cas");
        await using var refused = new NatsReplicaClient(NatsLocation.From(url, untrusted));
        await Assert.ThrowsAsync<StorageException>(() => refused.ListAsync(0, CancellationToken.None));
    }

    [Fact]
    public void Settings_come_from_config_keys_with_upstreams_defaults()
    {
        var location = NatsLocation.From(new Uri("nats://h/b"), new Dictionary<string, string>
        {
            ["root-cas"] = "/a.pem\n/b.pem", ["max-reconnects"] = "5", ["reconnect-wait"] = "500ms", ["jwt"] = "j", ["seed"] = "s",
        });
        Assert.Equal(["/a.pem", "/b.pem"], location.RootCas);
        Assert.Equal((true, 5, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(10)),
            (location.Tls, location.MaxReconnects, location.ReconnectWait, location.Timeout));
        var e = Assert.Throws<ReplicaConfigurationException>(() => NatsLocation.From(new Uri("nats://h/b"), new Dictionary<string, string> { ["client-cert"] = "c" }));
        Assert.Contains("client-cert and client-key must be given together", e.Message, StringComparison.Ordinal);
    }
}
