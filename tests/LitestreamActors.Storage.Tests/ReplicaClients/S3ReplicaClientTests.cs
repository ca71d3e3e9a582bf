using LitestreamActors.Storage.Replica;
using LitestreamActors.Storage.Replica.S3;
using LitestreamActors.TestSupport;

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

    // s3rver accepts a PUT with If-None-Match: * over an existing object; the probe finds that out.
    protected override string? LeaseUnsupportedBecause => "ignores If-None-Match";

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

    [Fact]
    public async Task A_file_larger_than_the_part_size_goes_up_in_parts_with_its_metadata_as_the_aws_cli_sees_it()
    {
        var prefix = "multipart/" + Guid.NewGuid().ToString("N");
        var client = new S3ReplicaClient(S3Location.From(new Uri($"s3://{Bucket}/{prefix}"), new Dictionary<string, string>
        {
            ["endpoint"] = Endpoint, ["force-path-style"] = "true", ["access-key-id"] = "S3RVER", ["secret-access-key"] = "S3RVER",
            ["part-size"] = "5MiB", ["concurrency"] = "3",
        }));
        using var proxy = new TcpFaultProxy(Server.Host, Server.Port);
        var viaProxy = new S3ReplicaClient(client.Location with { Endpoint = $"http://127.0.0.1:{proxy.Port}" });
        var large = System.Security.Cryptography.RandomNumberGenerator.GetBytes((12 << 20) + 123);
        await viaProxy.WriteAsync(9, 1, 40, new MemoryStream(large), Time, CancellationToken.None);

        Assert.Equal(3, System.Text.RegularExpressions.Regex.Count(proxy.Uploaded, @"PUT /[^ ]*partNumber=\d"));
        Assert.Equal(large, await Read(client, 9, 1, 40, 0, null));
        var head = AwsCli("s3api", "head-object", "--bucket", Bucket, "--key", $"{prefix}/0009/0000000000000001-0000000000000028.ltx");
        using var json = System.Text.Json.JsonDocument.Parse(head);
        Assert.Equal(large.Length, json.RootElement.GetProperty("ContentLength").GetInt64());
        Assert.Equal("2026-11-25T21:41:26.857Z", json.RootElement.GetProperty("Metadata").GetProperty("litestream-timestamp").GetString());
    }

    [Fact]
    public async Task Encryption_and_storage_class_settings_travel_on_every_write_and_read()
    {
        using var proxy = new TcpFaultProxy(Server.Host, Server.Port);
        var key = "0123456789abcdef0123456789abcdef";
        var client = new S3ReplicaClient(S3Location.From(new Uri($"s3://{Bucket}/sse/{Guid.NewGuid():N}"), new Dictionary<string, string>
        {
            ["endpoint"] = $"http://127.0.0.1:{proxy.Port}", ["force-path-style"] = "true", ["access-key-id"] = "S3RVER",
            ["secret-access-key"] = "S3RVER", ["storage-class"] = "STANDARD_IA", ["sse-customer-key"] = key,
        }));
        var bytes = LtxFiles.Encode(1024, 1, 1, 1, [(1, LtxFiles.Page(1024, 1))]);
        await client.WriteAsync(0, 1, 1, new MemoryStream(bytes), Time, CancellationToken.None);
        await Read(client, 0, 1, 1, 0, null);

        var sent = proxy.Uploaded.ToLowerInvariant();
        Assert.Contains("x-amz-storage-class: standard_ia", sent, StringComparison.Ordinal);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(sent, "x-amz-server-side-encryption-customer-algorithm: aes256"));
        Assert.Contains("x-amz-server-side-encryption-customer-key: " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(key)).ToLowerInvariant(), sent, StringComparison.Ordinal);
        Assert.Contains("content-md5: ", sent, StringComparison.Ordinal);

        var kms = S3Location.From(new Uri("s3://b/p?sseKmsKeyId=alias/x"), new Dictionary<string, string>());
        Assert.Equal("alias/x", kms.SseKmsKeyId);
        Assert.Throws<ReplicaConfigurationException>(() => S3Location.From(new Uri("s3://b/p"), new Dictionary<string, string> { ["sse-customer-key"] = "short" }));
        Assert.Throws<ReplicaConfigurationException>(() => S3Location.From(new Uri("s3://b/p"), new Dictionary<string, string> { ["part-size"] = "1MB" }));
    }

    [Fact]
    public async Task Restores_by_time_read_the_timestamp_from_metadata_not_the_upload_time()
    {
        var client = (S3ReplicaClient)NewClient();
        await client.WriteAsync(0, 1, 1, new MemoryStream(LtxFiles.Encode(1024, 1, 1, 1, [(1, LtxFiles.Page(1024, 1))])), Time, CancellationToken.None);
        Assert.NotEqual(Time, Assert.Single(await client.ListAsync(0, CancellationToken.None)).CreatedAt);
        Assert.Equal(Time, Assert.Single(await client.ListWithTimestampsAsync(0, CancellationToken.None)).CreatedAt);
    }

    // Over a frozen connection the write waits for the idle timeout (30 s); the owner's closing does not.
    [Fact]
    public async Task Closing_waits_for_a_stalled_write_no_longer_than_the_drain()
    {
        using var proxy = new TcpFaultProxy(Server.Host, Server.Port);
        var client = new DrainingReplicaClient(NewClient(new Uri($"http://127.0.0.1:{proxy.Port}")), TimeSpan.FromSeconds(1));
        var small = LtxFiles.Encode(1024, 1, 1, 1, [(1, LtxFiles.Page(1024, 1))]);
        await client.WriteAsync(0, 1, 1, new MemoryStream(small), Time, CancellationToken.None);

        proxy.Stall();
        var write = client.WriteAsync(0, 2, 2, new MemoryStream(System.Security.Cryptography.RandomNumberGenerator.GetBytes(512 << 10)), Time, CancellationToken.None);
        await Task.Delay(300);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await client.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
        Assert.False(write.IsCompletedSuccessfully, "a write over a frozen connection cannot have finished");
        Assert.Equal(1, client.InFlight);
    }

    private static string AwsCli(params string[] args)
    {
        var result = ProcessRunner.Run("/usr/bin/aws", ["--endpoint-url", Endpoint, "--output", "json", .. args], environment: new Dictionary<string, string?>
        {
            ["AWS_ACCESS_KEY_ID"] = "S3RVER", ["AWS_SECRET_ACCESS_KEY"] = "S3RVER", ["AWS_DEFAULT_REGION"] = "us-east-1",
        });
        result.EnsureSuccess("aws " + string.Join(' ', args));
        return result.StandardOutput;
    }

    private static S3ReplicaClient Client(string key, string secret, string prefix, string? endpoint = null) => new(new S3Location(
        Bucket, prefix, "us-east-1", endpoint ?? Endpoint, ForcePathStyle: true, key, secret, SkipVerify: false));
}
