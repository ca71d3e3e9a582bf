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

    public static string NatsUrl() => $"{Require("LSA_NATS_URL")}/e2e-{Guid.NewGuid().ToString("N")[..12]}";
}
