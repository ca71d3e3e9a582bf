using LitestreamActors.Storage.Replica;
using LitestreamActors.Storage.Replica.Gcs;
using LitestreamActors.TestSupport;

namespace LitestreamActors.Storage.Tests.ReplicaClients;

/// <summary>
/// Against <see cref="GcsJsonApiServer"/>, a JSON-API server inside the tests: no GCS emulator installs on these
/// machines. The client under test is the real Google.Cloud.Storage.V1 one.
/// </summary>
public sealed class GcsReplicaClientTests : NetworkReplicaClientConformanceTests, IAsyncLifetime
{
    private GcsJsonApiServer? _server;

    public async Task InitializeAsync() => _server = await GcsJsonApiServer.StartAsync();

    public async Task DisposeAsync() => await _server!.DisposeAsync();

    protected override Uri Server => new(_server!.Endpoint);

    protected override IReplicaClient NewClient(Uri server) => new GcsReplicaClient(GcsLocation.From(
        new Uri($"gs://bucket/{Guid.NewGuid():N}/db"), new Dictionary<string, string> { ["endpoint"] = server.ToString() }));

    [Fact]
    public void Both_schemes_name_bucket_and_path_with_upstreams_layout()
    {
        var location = GcsLocation.From(new Uri("gcs://bucket/a/db"), new Dictionary<string, string>());
        Assert.Equal(("bucket", "a/db"), (location.Bucket, location.Prefix));
        Assert.Equal("a/db/ltx/9/0000000000000001-00000000000000ff.ltx", location.ObjectName(9, 1, 0xff));
        Assert.IsType<GcsReplicaClient>(ReplicaClientFactory.FromUrl("gs://bucket/db"));
    }

    [Fact]
    public async Task The_timestamp_is_the_metadata_upstream_writes()
    {
        var client = NewClient();
        await client.WriteAsync(0, 1, 1, new MemoryStream(LtxFiles.Encode(512, 1, 1, 1, [(1, LtxFiles.Page(512, 1))])), Time, CancellationToken.None);
        Assert.Equal(Time, Assert.Single(await client.ListAsync(0, CancellationToken.None)).CreatedAt);
    }

    [Fact]
    public async Task A_missing_key_file_is_one_clear_error()
    {
        var client = new GcsReplicaClient(GcsLocation.From(new Uri("gs://bucket/db"), new Dictionary<string, string>
        {
            ["endpoint"] = _server!.Endpoint,
            ["credentials-file"] = "/nonexistent/key.json",
        }));
        var e = await Assert.ThrowsAsync<StorageException>(() => client.ListAsync(0, CancellationToken.None));
        Assert.StartsWith("gs gs://bucket/db: no usable Google credentials:", e.Message, StringComparison.Ordinal);
    }
}
