namespace LitestreamActors.Node.Control;

/// <summary><c>/list</c>, upstream's shape: every database with its state and last sync.</summary>
public sealed record ListAnswer(IEnumerable<ListedDatabase> Databases);
