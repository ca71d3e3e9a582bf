namespace LitestreamActors.Storage.Restore;

/// <summary>What to run on a restored database before it replaces the output.</summary>
public enum IntegrityCheckMode
{
    None,
    Quick,
    Full,
}
