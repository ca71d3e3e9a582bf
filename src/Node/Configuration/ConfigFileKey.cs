using System.Text;

namespace LitestreamActors.Node.Configuration;

/// <summary>A short name for a config file (its absolute path hashed), for the node's per-config socket and data folder.</summary>
public static class ConfigFileKey
{
    public static string Of(string configPath) =>
        Convert.ToHexStringLower(PathSha256.Hash(Encoding.UTF8.GetBytes(Path.GetFullPath(configPath))))[..16];
}
