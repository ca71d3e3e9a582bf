namespace LitestreamActors.Actors.Cluster;

/// <summary>Why a database could not be found in the catalog; <see cref="NotFound"/> tells absence from ambiguity.</summary>
public sealed class CatalogLookupException(bool notFound, string message) : Exception(message)
{
    public bool NotFound { get; } = notFound;
}
