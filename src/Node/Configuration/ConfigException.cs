using LitestreamActors.Storage;

namespace LitestreamActors.Node.Configuration;

/// <summary>A config file that cannot be used: missing, unparsable, or naming something impossible.</summary>
public sealed class ConfigException(string message) : StorageException(message);
