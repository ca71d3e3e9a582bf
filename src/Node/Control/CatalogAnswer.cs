namespace LitestreamActors.Node.Control;

/// <summary><c>/cluster/databases</c>: every replica of every database on every node.</summary>
public sealed record CatalogAnswer(IEnumerable<CatalogRowView> Databases);
