using LitestreamActors.Storage.IO;
using LitestreamActors.Storage.Ltx;

namespace LitestreamActors.Storage.Capture;

/// <summary>
/// The local L0 files beside a database (<c>.&lt;name&gt;-litestream/ltx/0/</c>), the buffer between capture and every
/// replica. Files are written as <c>.tmp</c>, fsynced and renamed; a leftover <c>.tmp</c> is a crash's debris.
/// </summary>
public sealed class LocalLtxStore(string metaPath)
{
    public string MetaPath { get; } = metaPath;

    public string L0Directory => Path.Combine(MetaPath, "ltx", "0");

    public string PathOf(ulong txid) => Path.Combine(L0Directory, LtxFileName.Format(txid, txid));

    /// <summary>TXIDs of the local L0 files, ascending.</summary>
    public IReadOnlyList<ulong> List()
    {
        if (!Directory.Exists(L0Directory))
        {
            return [];
        }
        var txids = new List<ulong>();
        foreach (var path in Directory.EnumerateFiles(L0Directory))
        {
            if (LtxFileName.TryParse(Path.GetFileName(path), out var min, out var max) && min == max)
            {
                txids.Add(max);
            }
        }
        txids.Sort();
        return txids;
    }

    public void Prepare()
    {
        Directory.CreateDirectory(L0Directory);
        foreach (var temp in Directory.EnumerateFiles(L0Directory, "*.tmp"))
        {
            File.Delete(temp);
        }
    }

    /// <summary>The header of the newest L0 file, fully verified; null when there is none.</summary>
    public LtxHeader? NewestHeader()
    {
        var txids = List();
        if (txids.Count == 0)
        {
            return null;
        }
        using var stream = SmallFileReader.Open(PathOf(txids[^1]), FileShare.Read);
        var decoder = new LtxDecoder(stream, PathOf(txids[^1]));
        var header = decoder.ReadHeader();
        decoder.ReadToEnd();
        return header;
    }

    /// <summary>Each local L0 file's TXID and size.</summary>
    public IReadOnlyList<(ulong Txid, long Bytes)> Sizes()
    {
        var directory = new DirectoryInfo(L0Directory);
        return directory.Exists
            ? directory.EnumerateFiles("*.ltx")
                .Select(f => LtxFileName.TryParse(f.Name, out _, out var max) ? (max, f.Length) : (0UL, 0L))
                .Where(f => f.Item1 > 0)
                .ToList()
            : [];
    }

    /// <summary>Moves a finished temp file into place durably.</summary>
    public void Commit(string tempPath, ulong txid)
    {
        CrashSwitch.At(CrashSwitch.L0BeforeRename);
        File.Move(tempPath, PathOf(txid), overwrite: true);
        DurableFile.FsyncDirectory(L0Directory);
    }

    /// <summary>Deletes local L0 files up to and including <paramref name="txid"/>, always keeping the newest.</summary>
    public void DeleteThrough(ulong txid)
    {
        var txids = List();
        foreach (var old in txids.Take(txids.Count - 1).Where(t => t <= txid))
        {
            File.Delete(PathOf(old));
        }
    }
}
