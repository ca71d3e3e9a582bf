using LitestreamActors.Storage.Ltx;
using LitestreamActors.Storage.Replica;

namespace LitestreamActors.Storage.Restore;

/// <summary>
/// Checks a replica without restoring it: every file decoded whole (header against its name, page checksums, page
/// index, trailer), TXIDs contiguous within each level (a gap a snapshot covers is fine: a replica that fell too far
/// behind goes on from one), snapshots starting at TXID 1, and a restore plan reaching the
/// newest TXID the replica holds. Each problem is one line naming the file or level.
/// </summary>
public static class ReplicaVerifier
{
    public static async Task<ReplicaVerification> VerifyAsync(IReplicaClient client, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var files = 0;
        ulong newest = 0;
        var snapshots = await client.ListAsync(LtxFileInfo.SnapshotLevel, cancellationToken);
        for (var level = 0; level <= LtxFileInfo.MaxLevel; level++)
        {
            var listed = level == LtxFileInfo.SnapshotLevel ? snapshots : await client.ListAsync(level, cancellationToken);
            files += listed.Count;
            LtxFileInfo? previous = null;
            foreach (var file in listed)
            {
                newest = Math.Max(newest, file.MaxTxid);
                if (level == LtxFileInfo.SnapshotLevel && file.MinTxid != 1)
                {
                    problems.Add($"{file.DisplayName}: a snapshot must start at TXID 1");
                }
                else if (level != LtxFileInfo.SnapshotLevel && previous is not null && file.MinTxid != previous.MaxTxid + 1
                    && !(file.MinTxid > previous.MaxTxid && snapshots.Any(s => s.MaxTxid >= file.MinTxid - 1)))
                {
                    problems.Add($"level {level}: {(file.MinTxid > previous.MaxTxid + 1 ? "gap" : "overlap")} between {previous.Name} and {file.Name}");
                }
                previous = file;
                try
                {
                    await using var opened = await OpenedLtxFile.OpenAsync(client, file, 256 << 10, cancellationToken);
                    opened.Decoder.ReadToEnd();
                }
                catch (StorageException e)
                {
                    problems.Add(e.Message.StartsWith(file.DisplayName, StringComparison.Ordinal) ? e.Message : $"{file.DisplayName}: {e.Message}");
                }
            }
        }

        ulong? restorable = null;
        if (files > 0)
        {
            try
            {
                restorable = (await RestorePlanner.PlanAsync(client, RestoreTarget.Latest, cancellationToken)).MaxTxid;
                if (restorable < newest)
                {
                    problems.Add($"the newest TXID {Txid.Format(newest)} is not restorable: the chain ends at {Txid.Format(restorable.Value)}");
                }
            }
            catch (StorageException e)
            {
                problems.Add($"no restorable chain: {e.Message}");
            }
        }
        return new ReplicaVerification(files, newest, restorable, problems);
    }
}
