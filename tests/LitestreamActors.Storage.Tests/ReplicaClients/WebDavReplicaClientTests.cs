using LitestreamActors.Storage.Replica;
using LitestreamActors.Storage.Replica.WebDav;

namespace LitestreamActors.Storage.Tests.ReplicaClients;

/// <summary>Against the apache2 + mod_dav_fs that ./test.sh starts (LSA_WEBDAV_*); fails, never skips, when none runs.</summary>
public sealed class WebDavReplicaClientTests : NetworkReplicaClientConformanceTests
{
    protected override bool ReadsLitestream03Backups => false;

    private static string Require(string name) => Environment.GetEnvironmentVariable(name)
        ?? throw new InvalidOperationException($"{name} is not set: run ./test.sh, which starts apache2 with mod_dav");

    protected override string? LeaseUnsupportedBecause => "not dependable";

    protected override Uri Server => new(Require("LSA_WEBDAV_URL"));

    protected override IReplicaClient NewClient(Uri server) => Client(Require("LSA_WEBDAV_PASSWORD"), server);

    [Fact]
    public void Urls_map_to_http_or_https_and_upstreams_layout()
    {
        var plain = WebDavLocation.From(new Uri("webdav://u:p@host:8080/a/db"), new Dictionary<string, string>());
        Assert.Equal((new Uri("http://host:8080/"), "/a/db", "u", "p"), (plain.BaseUri, plain.Path, plain.Username, plain.Password));
        Assert.Equal("/a/db/ltx/9/0000000000000001-00000000000000ff.ltx", plain.FilePath(9, 1, 0xff));
        var secure = WebDavLocation.From(new Uri("webdavs://host/db"), new Dictionary<string, string>());
        Assert.Equal(new Uri("https://host/"), secure.BaseUri);
        var byKeys = WebDavLocation.From(null, new Dictionary<string, string> { ["webdav-url"] = "https://dav.example/x/db", ["webdav-username"] = "u" });
        Assert.Equal((new Uri("https://dav.example/"), "/x/db", "u"), (byKeys.BaseUri, byKeys.Path, byKeys.Username));
    }

    [Fact]
    public async Task Wrong_credentials_are_one_clear_error_that_names_no_secret()
    {
        var client = Client("not-the-password-xyz");
        var e = await Assert.ThrowsAsync<StorageException>(() => client.ListAsync(0, CancellationToken.None));
        Assert.StartsWith("webdav list http://127.0.0.1:", e.Message, StringComparison.Ordinal);
        Assert.Contains("401", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password-xyz", e.Message, StringComparison.Ordinal);
    }

    private static WebDavReplicaClient Client(string password, Uri? server = null) => new(WebDavLocation.From(
        new Uri($"webdav://{(server ?? new Uri(Require("LSA_WEBDAV_URL"))).Authority}/conformance/{Guid.NewGuid():N}"),
        new Dictionary<string, string> { ["webdav-username"] = Require("LSA_WEBDAV_USER"), ["webdav-password"] = password }));
}
