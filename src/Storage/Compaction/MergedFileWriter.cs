using LitestreamActors.Storage.Ltx;
using LitestreamActors.Storage.Replica;

namespace LitestreamActors.Storage.Compaction;

/// <summary>
/// Merges contiguous LTX files (latest page wins) into a scratch file and uploads it at a level with the newest
/// input's timestamp; the scratch file is removed whatever happens.
/// </summary>
internal static class MergedFileWriter
{
    public static async Task<LtxFileInfo> WriteAsync(
        IReplicaClient client, IReadOnlyList<LtxFileInfo> files, int level, string scratchDirectory,
        Func<LtxFileInfo, CancellationToken, Task<Stream>> open, CancellationToken cancellationToken)
    {
        // Only the scratch folder itself: a database folder moved away must not come back as an empty shell.
        if (Path.GetDirectoryName(scratchDirectory) is { } parent && !Directory.Exists(parent))
        {
            throw new StorageException($"the local state folder {parent} is gone");
        }
        Directory.CreateDirectory(scratchDirectory);
        var scratch = Path.Combine(scratchDirectory, $"merge-{level}-{Guid.NewGuid():N}.ltx.tmp");
        var inputs = new List<LtxCompactor.Input>();
        try
        {
            foreach (var file in files)
            {
                inputs.Add(new LtxCompactor.Input(await open(file, cancellationToken), file.DisplayName));
            }
            await using var output = new FileStream(scratch, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, IO.StreamBufferSize.For(files.Sum(f => f.Size)));
            var header = LtxCompactor.Compact(inputs, output);
            output.Position = 0;
            return await client.WriteAsync(level, header.MinTxid, header.MaxTxid, output, header.Timestamp, cancellationToken);
        }
        finally
        {
            foreach (var input in inputs)
            {
                await input.Stream.DisposeAsync();
            }
            File.Delete(scratch);
        }
    }
}
