using LitestreamActors.Storage.Replica;
using LitestreamActors.Storage.Replica.S3;

namespace LitestreamActors.Storage.Tests.ReplicaClients;

/// <summary>Against the s3rver that ./test.sh starts (LSA_S3_ENDPOINT); it fails, never skips, when none runs.</summary>
public sealed class S3ReplicaClientTests : NetworkReplicaClientConformanceTests
{
    private static string Endpoint => Environment.GetEnvironmentVariable("LSA_S3_ENDPOINT")
        ?? throw new InvalidOperationException("LSA_S3_ENDPOINT is not set: run ./test.sh, which starts s3rver");

    private static string Bucket => Environment.GetEnvironmentVariable("LSA_S3_BUCKET") ?? "lsa-test";

    protected override Uri Server => new(Endpoint);

    // s3rver writes a PUT body to disk as it arrives and keeps what it got when the connection drops, even with
    // Content-MD5 set; S3 itself refuses a body shorter than its Content-Length.
    protected override bool ServerStoresBodiesCutShort => true;

    protected override IReplicaClient NewClient(Uri server) => Client("S3RVER", "S3RVER", "conformance/" + Guid.NewGuid().ToString("N"), server.ToString());

    [Fact]
    public void The_key_layout_is_upstreams()
    {
        var location = S3Location.From(new Uri("s3://bucket/a/db?endpoint=http://127.0.0.1:9&forcePathStyle=true"), new Dictionary<string, string>());
        Assert.Equal(("bucket", "a/db", "http://127.0.0.1:9", true), (location.Bucket, location.Prefix, location.Endpoint, location.ForcePathStyle));
        Assert.Equal("a/db/0009/0000000000000001-00000000000000ff.ltx", location.Key(9, 1, 0xff));
        Assert.Equal("0000/", S3Location.From(new Uri("s3://bucket"), new Dictionary<string, string>()).LevelPrefix(0));
    }

    [Fact]
    public async Task Wrong_credentials_are_one_clear_error_that_names_no_secret()
    {
        // s3rver checks the access key but not V4 signatures, so the wrong credential here is the key.
        var client = Client("NOT-A-KEY", "not-the-secret-xyz", "creds");
        var e = await Assert.ThrowsAsync<StorageException>(() => client.ListAsync(0, CancellationToken.None));
        Assert.StartsWith("s3 list s3://", e.Message, StringComparison.Ordinal);
        Assert.Contains("InvalidAccessKeyId", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret-xyz", e.Message, StringComparison.Ordinal);
    }

    private static S3ReplicaClient Client(string key, string secret, string prefix, string? endpoint = null) => new(new S3Location(
        Bucket, prefix, "us-east-1", endpoint ?? Endpoint, ForcePathStyle: true, key, secret, SkipVerify: false));
}
