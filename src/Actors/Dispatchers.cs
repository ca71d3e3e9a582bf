namespace LitestreamActors.Actors;

public static class Dispatchers
{
    /// <summary>Where blocking SQLite and file work runs (configured in hocon/litestream.hocon), never on the default dispatcher.</summary>
    public const string Io = "litestream.io-dispatcher";
}
