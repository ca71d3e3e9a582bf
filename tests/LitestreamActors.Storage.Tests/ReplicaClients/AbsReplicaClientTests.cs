using LitestreamActors.Storage.Replica;
using LitestreamActors.Storage.Replica.Azure;

namespace LitestreamActors.Storage.Tests.ReplicaClients;

/// <summary>Against the azurite that ./test.sh starts (LSA_AZURE_*); fails, never skips, when none runs.</summary>
public sealed class AbsReplicaClientTests : NetworkReplicaClientConformanceTests
{
    private static string Require(string name) => Environment.GetEnvironmentVariable(name)
        ?? throw new InvalidOperationException($"{name} is not set: run ./test.sh, which starts azurite");

    protected override Uri Server => new(Require("LSA_AZURE_ENDPOINT"));

    protected override IReplicaClient NewClient(Uri server) => Client(Require("LSA_AZURE_KEY"), "c" + Guid.NewGuid().ToString("N"), server);

    [Fact]
    public void Both_url_forms_name_account_container_and_path()
    {
        var options = new Dictionary<string, string> { ["account-key"] = "k" };
        var at = AbsLocation.From(new Uri("abs://acct@box/a/db"), options);
        Assert.Equal(("acct", "box", "a/db"), (at.AccountName, at.Container, at.Prefix));
        var hosted = AbsLocation.From(new Uri("abs://acct/box/a/db"), new Dictionary<string, string>(options) { ["account-name"] = "acct" });
        Assert.Equal(("acct", "box", "a/db"), (hosted.AccountName, hosted.Container, hosted.Prefix));
        Assert.Equal("a/db/ltx/9/0000000000000001-00000000000000ff.ltx", hosted.BlobName(9, 1, 0xff));
        Assert.Equal(new Uri("https://acct.blob.core.windows.net"), hosted.ServiceUri);
    }

    [Fact]
    public async Task The_timestamp_is_the_metadata_upstream_writes()
    {
        var client = (AbsReplicaClient)NewClient();
        await client.WriteAsync(0, 1, 1, new MemoryStream(LtxFiles.Encode(512, 1, 1, 1, [(1, LtxFiles.Page(512, 1))])), Time, CancellationToken.None);
        var service = new Azure.Storage.Blobs.BlobServiceClient(
            new Uri(Require("LSA_AZURE_ENDPOINT")), new Azure.Storage.StorageSharedKeyCredential(Require("LSA_AZURE_ACCOUNT"), Require("LSA_AZURE_KEY")));
        var properties = await service.GetBlobContainerClient(client.Location.Container)
            .GetBlobClient("db/ltx/0/0000000000000001-0000000000000001.ltx").GetPropertiesAsync();
        Assert.Equal("2026-11-25T21:41:26.857Z", properties.Value.Metadata["litestreamtimestamp"]);
        Assert.Equal(Time, Assert.Single(await client.ListAsync(0, CancellationToken.None)).CreatedAt);
    }

    [Fact]
    public async Task Wrong_credentials_are_one_clear_error_that_names_no_secret()
    {
        const string wrongKey = "bm90LXRoZS1rZXktYXQtYWxsLW5vdC10aGUta2V5LWF0LWFsbC1ub3QtdGhlLWtleQ==";
        var client = Client(wrongKey, "creds");
        var e = await Assert.ThrowsAsync<StorageException>(() => client.WriteAsync(0, 1, 1, new MemoryStream([1, 2, 3]), Time, CancellationToken.None));
        Assert.StartsWith("abs write creds/db/ltx/0/", e.Message, StringComparison.Ordinal);
        Assert.Contains("AuthorizationFailure", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    private static AbsReplicaClient Client(string key, string container, Uri? server = null) => new(AbsLocation.From(
        new Uri($"abs://{Require("LSA_AZURE_ACCOUNT")}@{container}/db"),
        new Dictionary<string, string> { ["endpoint"] = (server ?? new Uri(Require("LSA_AZURE_ENDPOINT"))).ToString(), ["account-key"] = key }));
}
