namespace LitestreamActors.Node.Control;

/// <summary><c>/status</c> without a path: every database with its replicas.</summary>
public sealed record StatusAnswer(IEnumerable<DatabaseView> Databases);
