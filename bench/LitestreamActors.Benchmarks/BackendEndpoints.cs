namespace LitestreamActors.Benchmarks;

/// <summary>Replica URLs for the local servers scripts/test-servers.sh starts (its LSA_* environment), one fresh location each.</summary>
internal static class BackendEndpoints
{
    public static IReadOnlyList<string> Names { get; } = ["s3", "abs", "nats", "sftp", "webdav", "gs"];

    /// <param name="gcsEndpoint">The in-process GCS JSON-API server's root (no GCS emulator installs here).</param>
    public static string Url(string backend, string gcsEndpoint)
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        Environment.SetEnvironmentVariable("LITESTREAM_ACCESS_KEY_ID", "S3RVER");
        Environment.SetEnvironmentVariable("LITESTREAM_SECRET_ACCESS_KEY", "S3RVER");
        Environment.SetEnvironmentVariable("LITESTREAM_AZURE_ACCOUNT_KEY", Require("LSA_AZURE_KEY"));
        return backend switch
        {
            "s3" => $"s3://lsa-test/bench-{id}?endpoint={Require("LSA_S3_ENDPOINT")}&forcePathStyle=true",
            "abs" => $"abs://{Require("LSA_AZURE_ACCOUNT")}@bench{id}/db?endpoint={Require("LSA_AZURE_ENDPOINT")}",
            "nats" => $"{Require("LSA_NATS_URL")}/bench-{id}",
            "sftp" => $"{Require("LSA_SFTP_URL")}/bench-{id}?key-path={Uri.EscapeDataString(Require("LSA_SFTP_KEY"))}&host-key={Uri.EscapeDataString(Require("LSA_SFTP_HOST_KEY"))}",
            "webdav" => $"webdav://dav:dav-secret@{new Uri(Require("LSA_WEBDAV_URL")).Authority}/bench-{id}",
            "gs" => $"gs://bench/{id}?endpoint={gcsEndpoint}",
            _ => throw new ArgumentException($"unknown backend {backend}"),
        };
    }

    private static string Require(string name) => Environment.GetEnvironmentVariable(name)
        ?? throw new InvalidOperationException($"{name} is not set: start the servers with scripts/test-servers.sh (bench/backends.sh does)");
}
