namespace LitestreamActors.TestSupport;

/// <summary>
/// Replica URLs on the real servers that ./test.sh starts (scripts/test-servers.sh exports where they listen), each
/// under a fresh prefix. A server that is not running fails the test; it never skips.
/// </summary>
public static class TestServers
{
    public static string Require(string name) => Environment.GetEnvironmentVariable(name)
        ?? throw new InvalidOperationException($"{name} is not set: run ./test.sh, which starts the test servers");

    /// <summary>An s3rver bucket path; the credentials go to the environment (LITESTREAM_ACCESS_KEY_ID), never the URL.</summary>
    public static string S3Url(string name)
    {
        Environment.SetEnvironmentVariable("LITESTREAM_ACCESS_KEY_ID", "S3RVER");
        Environment.SetEnvironmentVariable("LITESTREAM_SECRET_ACCESS_KEY", "S3RVER");
        return $"s3://lsa-test/e2e-{Guid.NewGuid():N}/{name}?endpoint={Require("LSA_S3_ENDPOINT")}&forcePathStyle=true";
    }

    public static string SftpUrl() =>
        $"{Require("LSA_SFTP_URL")}/e2e-{Guid.NewGuid():N}?key-path={Uri.EscapeDataString(Require("LSA_SFTP_KEY"))}"
        + $"&host-key={Uri.EscapeDataString(Require("LSA_SFTP_HOST_KEY"))}";

    /// <summary>An Azurite container; the account key goes to the environment (LITESTREAM_AZURE_ACCOUNT_KEY), never the URL.</summary>
    public static string AzureUrl()
    {
        Environment.SetEnvironmentVariable("LITESTREAM_AZURE_ACCOUNT_KEY", Require("LSA_AZURE_KEY"));
        return $"abs://{Require("LSA_AZURE_ACCOUNT")}@e2e{Guid.NewGuid():N}/app?endpoint={Uri.EscapeDataString(Require("LSA_AZURE_ENDPOINT"))}";
    }

    /// <summary>A folder on the Apache WebDAV server, with its user and password in the URL as users write it.</summary>
    public static string WebDavUrl() =>
        $"webdav://{Require("LSA_WEBDAV_USER")}:{Require("LSA_WEBDAV_PASSWORD")}@{new Uri(Require("LSA_WEBDAV_URL")).Authority}/e2e-{Guid.NewGuid():N}/app";

    public static string NatsUrl() => $"{Require("LSA_NATS_URL")}/e2e-{Guid.NewGuid().ToString("N")[..12]}";
}
