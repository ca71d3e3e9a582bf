namespace LitestreamActors.Node.Control;

/// <summary>A dry run of <c>/cluster/restore</c>: where the files come from and which they are.</summary>
public sealed record ClusterRestorePlanView(
    string Owner, string Database, string Replica, string Type, string Target, string MinTxid, string MaxTxid, bool SyncsFirst,
    IEnumerable<ClusterRestoreFileView> Files);
