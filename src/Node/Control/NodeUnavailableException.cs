using LitestreamActors.Storage;

namespace LitestreamActors.Node.Control;

/// <summary>No node listens where the control client looked.</summary>
public sealed class NodeUnavailableException(string message) : StorageException(message);
