namespace LitestreamActors.Storage.Capture;

/// <summary>Page 1's database header as SQLite's backup leaves it in its copy (docs/capture.md).</summary>
public static class Page1
{
    /// <summary>
    /// Header bytes a backup writes for its own copy: the file change counter (24), the schema cookie (40) and the
    /// version-valid-for and SQLite version numbers (92, 96). The schema cookie is checked through a pragma instead.
    /// </summary>
    public static readonly IReadOnlyList<Range> BackupMask = [24..28, 40..44, 92..100];

    /// <summary>Whether two versions of page 1 are equal but for the bytes a backup rewrites.</summary>
    public static bool EqualButBackupFields(ReadOnlySpan<byte> ours, ReadOnlySpan<byte> backup)
    {
        if (ours.Length != backup.Length)
        {
            return false;
        }
        var start = 0;
        foreach (var masked in BackupMask)
        {
            var (offset, length) = masked.GetOffsetAndLength(ours.Length);
            if (!ours[start..offset].SequenceEqual(backup[start..offset]))
            {
                return false;
            }
            start = offset + length;
        }
        return ours[start..].SequenceEqual(backup[start..]);
    }
}
