namespace LitestreamActors.Storage.Capture;

/// <summary>
/// Which file a path names (device and inode, from stat(2)): a database restored over or deleted and created again under
/// the node gets a new identity while our connections still read the old file (docs/reliability.md).
/// </summary>
public readonly record struct FileIdentity(ulong Device, ulong Inode)
{
    /// <summary>The identity of the file at <paramref name="path"/>; null when there is none.</summary>
    public static FileIdentity? Of(string path) => FileStamp.Of(path)?.Identity;
}
