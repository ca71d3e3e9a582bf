using LitestreamActors.Storage.Replica;

namespace LitestreamActors.Storage.Tests;

/// <summary>What one node tells another about a replica: where it is, never how to get in.</summary>
public sealed class ReplicaEndpointTests
{
    [Fact]
    public void Credentials_leave_the_options_the_user_info_and_the_query()
    {
        var endpoint = new ReplicaEndpoint("s3", "s3://bucket/app?endpoint=http://minio:9000&secretAccessKey=hush&forcePathStyle=true", null)
        {
            Options = new Dictionary<string, string> { ["region"] = "eu-west-1", ["access-key-id"] = "AKIA", ["secret-access-key"] = "hush" },
        };
        var described = endpoint.WithoutSecrets();
        Assert.Equal("s3://bucket/app?endpoint=http://minio:9000&forcePathStyle=true", described.Url);
        Assert.Equal(["region"], described.Options.Keys);
        Assert.Equal(endpoint.TargetKey(), described.TargetKey());

        var dav = new ReplicaEndpoint(string.Empty, "webdav://dav:secret@host:8080/backups/app", null).WithoutSecrets();
        Assert.Equal("webdav://host:8080/backups/app", dav.Url);
        Assert.Equal("sftp://host/app", new ReplicaEndpoint(string.Empty, "sftp://host/app?password=x&key-path=/k", null).WithoutSecrets().Url);
    }
}
