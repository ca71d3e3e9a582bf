using System.Security.Cryptography;
using LitestreamActors.Storage.Capture;

namespace LitestreamActors.Node.Hosting;

/// <summary>
/// What the first database's start needs and the command's thread can load while the early actor system is still
/// starting: SQLite's native library and OpenSSL's SHA-256 (actor names, lease versions). One-time costs of tens of
/// milliseconds the actors would otherwise pay once the system is up (docs/performance.md, "Start-up").
/// </summary>
internal static class StartupWarmUp
{
    public static void Run()
    {
        SqliteSession.SqliteVersion();
        SHA256.HashData([]);
    }
}
