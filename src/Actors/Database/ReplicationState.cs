using System.Collections.Immutable;

namespace LitestreamActors.Actors.Database;

/// <summary>
/// What a database's replicas hold and what its local L0 files must therefore keep: each replica's position, what it
/// still needs, the local disk budget (<c>max-local-ltx-bytes</c>) and when each TXID was captured (for lag). Immutable:
/// each event gives the next state and the effects the database actor applies (docs/replication.md). This is the state
/// a database's owner would hand to another node.
/// </summary>
public sealed record ReplicationState(long MaxLocalBytes)
{
    private static readonly TimeSpan BudgetCheckGap = TimeSpan.FromSeconds(1);

    /// <summary>The newest TXID captured locally.</summary>
    public ulong Txid { get; init; }

    public ImmutableSortedDictionary<string, ReplicaProgress> Replicas { get; init; } = ImmutableSortedDictionary.Create<string, ReplicaProgress>(StringComparer.Ordinal);

    /// <summary>The local L0 files as last listed, each TXID with its size.</summary>
    public ImmutableList<(ulong Txid, long Bytes)> LocalFiles { get; init; } = [];

    /// <summary>When each TXID not yet held by every replica was captured.</summary>
    public ImmutableSortedDictionary<ulong, DateTimeOffset> CapturedAt { get; init; } = ImmutableSortedDictionary<ulong, DateTimeOffset>.Empty;

    public bool OverBudget { get; init; }

    /// <summary>The capture has opened the database: <see cref="Txid"/> is what local state holds, not yet the disk's files.</summary>
    public bool IsOpen { get; init; }

    public DateTimeOffset LastBudgetCheck { get; init; }

    /// <summary>
    /// The capture opened with no local state: whatever a replica holds when it first reports is another lineage's
    /// (local state created afresh), even at a TXID this capture has meanwhile written itself.
    /// </summary>
    public bool FreshLineage { get; init; }

    public long LocalBytes => LocalFiles.Sum(f => f.Bytes);

    /// <summary>Every replica has said where it stands.</summary>
    public bool AllReported => Replicas.Values.All(r => r.Position is not null);

    /// <summary>The TXID every replica holds; 0 until all have reported.</summary>
    public ulong Replicated => !AllReported ? 0 : Replicas.Values.Select(r => r.Position!.Value).DefaultIfEmpty(Txid).Min();

    public ReplicationState WithReplica(string name) => this with { Replicas = Replicas.SetItem(name, new ReplicaProgress(null, 0, null)) };

    /// <summary>A replica that is gone holds nothing back any more.</summary>
    public (ReplicationState, IReadOnlyList<ReplicationEffect>) WithoutReplica(string name)
    {
        var next = this with { Replicas = Replicas.Remove(name) };
        return (next, next.AllReported ? [new ReplicationEffect.Prune(next.PrunableThrough())] : []);
    }

    /// <summary>The capture began from this TXID (its local state or the database's).</summary>
    public ReplicationState Opened(ulong txid, bool fresh = false) => this with { Txid = Math.Max(Txid, txid), IsOpen = true, FreshLineage = fresh };

    public ReplicationState Captured(ulong txid, DateTimeOffset at) => this with { Txid = Math.Max(Txid, txid), CapturedAt = CapturedAt.SetItem(txid, at) };

    /// <summary>
    /// The replica holds <paramref name="txid"/> written by another lineage (docs/replication.md, "Starting"): no local
    /// delta applies to it, so it goes on from a new full L0 file after both.
    /// </summary>
    public (ReplicationState, IReadOnlyList<ReplicationEffect>) Diverged(string name, ulong txid)
    {
        if (!Replicas.ContainsKey(name))
        {
            return (this, []);
        }
        var effects = new List<ReplicationEffect>();
        var next = (this with { Txid = Math.Max(Txid, txid) }).Resync([name], effects);
        return (next, effects);
    }

    /// <summary>
    /// A replica holds <paramref name="txid"/> and needs no local file through <paramref name="notNeededThrough"/>;
    /// <paramref name="newestLocalFile"/> is the newest local L0 file (asked only when the replica is ahead of
    /// <see cref="Txid"/>; it counts only before the capture has opened the database).
    /// </summary>
    public (ReplicationState, IReadOnlyList<ReplicationEffect>) Reported(string name, ulong txid, ulong notNeededThrough, ulong newestLocalFile, DateTimeOffset now)
    {
        if (!Replicas.TryGetValue(name, out var progress))
        {
            return (this, []);
        }
        var effects = new List<ReplicationEffect>();
        var next = this with
        {
            Replicas = Replicas.SetItem(name, progress with
            {
                Position = txid,
                NotNeededThrough = notNeededThrough,
                ResyncFrom = progress.ResyncFrom is { } from && txid >= from ? null : progress.ResyncFrom,
            }),
        };
        if (progress.Position is null && FreshLineage && txid > 0)
        {
            // Listed after the fresh capture wrote files of its own: its TXIDs name other files than the replica's.
            effects.Add(new ReplicationEffect.Warn(
                $"replica {name} holds TXID {txid:x16} of another lineage (local state created afresh); continuing from a new full L0 file"));
            next = (next with { Txid = Math.Max(next.Txid, txid) }).Resync([name], effects);
        }
        // Once open, a local file the state has not heard of is a capture still under way: a new lineage (local state
        // created afresh) whose TXIDs name other files than the replica's, so the disk no longer counts.
        else if (txid > Txid && (IsOpen || newestLocalFile < txid))
        {
            effects.Add(new ReplicationEffect.Warn(
                $"replica {name} holds TXID {txid:x16}, beyond local state; continuing after it with a full L0 file"));
            next = next with { Txid = txid };
            effects.Add(new ReplicationEffect.ContinueAfter(txid, CaptureNow: true));
        }
        if (!next.AllReported)
        {
            return (next, effects);
        }
        next = next.EnforceBudget(now, effects);
        var held = next.Replicated;
        effects.Add(new ReplicationEffect.Prune(next.PrunableThrough()));
        return (next with { CapturedAt = next.CapturedAt.RemoveRange(next.CapturedAt.Keys.TakeWhile(k => k <= held)) }, effects);
    }

    /// <summary>
    /// The local files after a prune. A replica whose next file is gone (added after an earlier replica let older files
    /// go) would wait for it forever: it goes on from a new full L0 file instead, as a replica over the budget does.
    /// </summary>
    public (ReplicationState, IReadOnlyList<ReplicationEffect>) Listed(IReadOnlyList<(ulong Txid, long Bytes)> files)
    {
        var next = this with { LocalFiles = [.. files] };
        var missing = next.Replicas
            .Where(r => r.Value.Position is { } position && position < Txid && r.Value.ResyncFrom is null && !files.Any(f => f.Txid == position + 1))
            .Select(r => r.Key)
            .ToList();
        var effects = missing
            .Select(name => (ReplicationEffect)new ReplicationEffect.Warn(
                $"replica {name} is at TXID {next.Replicas[name].Position:x16} and the local L0 file after it is gone; it continues from a new full L0 file (TXID {Txid + 1:x16})"))
            .ToList();
        return (next.Resync(missing, effects), effects);
    }

    /// <summary>How long the oldest commit a replica holding <paramref name="held"/> lacks has waited; zero when it holds everything.</summary>
    public TimeSpan? Lag(ulong? held, DateTimeOffset now)
    {
        if (held is null)
        {
            return null;
        }
        if (held >= Txid)
        {
            return TimeSpan.Zero;
        }
        var oldest = CapturedAt.FirstOrDefault(c => c.Key > held);
        return oldest.Key == 0 ? null : now - oldest.Value;
    }

    // Local files stay until every replica has them, within max-local-ltx-bytes. Past it, files kept only so level 1
    // can merge from disk go first; then a replica holding back more than the budget lets go of them and continues
    // from a new full L0 file, so one stalled replica cannot fill the disk.
    private ReplicationState EnforceBudget(DateTimeOffset now, List<ReplicationEffect> effects)
    {
        if (now - LastBudgetCheck < BudgetCheckGap)
        {
            return this;
        }
        var size = LocalBytes;
        var next = this with { LastBudgetCheck = now, OverBudget = size > MaxLocalBytes };
        if (!next.OverBudget)
        {
            return next;
        }
        // A replica already going on from a full file holds back only what came after it (the full file alone may be
        // larger than the budget: dropping it again would never let the replica catch up).
        var stalled = Replicas
            .Where(r => LocalFiles.Where(f => f.Txid > (r.Value.ResyncFrom ?? r.Value.Position ?? 0)).Sum(f => f.Bytes) > MaxLocalBytes)
            .Select(r => r.Key)
            .ToList();
        effects.AddRange(stalled.Select(name => new ReplicationEffect.Warn(
            $"replica {name} is at TXID {Replicas[name].Position:x16} while local L0 files hold {size} bytes, over max-local-ltx-bytes ({MaxLocalBytes}): dropping the files it still needs; it continues from a new full L0 file (TXID {Txid + 1:x16})")));
        return next.Resync(stalled, effects);
    }

    private ReplicationState Resync(IReadOnlyList<string> names, List<ReplicationEffect> effects)
    {
        if (names.Count == 0)
        {
            return this;
        }
        var replicas = Replicas;
        foreach (var name in names)
        {
            replicas = replicas.SetItem(name, replicas[name] with { ResyncFrom = Txid + 1 });
            effects.Add(new ReplicationEffect.Resync(name, Txid + 1));
        }
        effects.Add(new ReplicationEffect.ContinueAfter(Txid, CaptureNow: true));
        return this with { Replicas = replicas };
    }

    // Through which TXID local files may go: what every replica no longer needs (over the budget, what every replica
    // holds), and never the full file a resyncing replica goes on from.
    private ulong PrunableThrough()
    {
        var floor = Replicas.Values
            .Where(r => r.ResyncFrom is null)
            .Select(r => OverBudget ? r.Position ?? 0 : r.NotNeededThrough)
            .DefaultIfEmpty(Txid)
            .Min();
        return Replicas.Values.Where(r => r.ResyncFrom is not null).Select(r => r.ResyncFrom!.Value - 1).Append(floor).Min();
    }
}
