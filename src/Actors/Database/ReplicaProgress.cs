namespace LitestreamActors.Actors.Database;

/// <summary>
/// One replica as its database sees it: the TXID it holds (null until it has listed itself), through which TXID it
/// needs no local L0 file (level 1 has merged them), and, while it goes on from a full L0 file because the files it
/// needed were dropped, that file's TXID.
/// </summary>
public sealed record ReplicaProgress(ulong? Position, ulong NotNeededThrough, ulong? ResyncFrom);
