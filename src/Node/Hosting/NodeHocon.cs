namespace LitestreamActors.Node.Hosting;

/// <summary>The node's Akka settings: the embedded <c>litestream.hocon</c>, and the node journal's settings.</summary>
internal static class NodeHocon
{
    public static string Shared()
    {
        using var stream = typeof(NodeHocon).Assembly.GetManifestResourceStream("litestream.hocon")
            ?? throw new InvalidOperationException("litestream.hocon is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static string JournalConnectionString(string journalPath) => $"Data Source={journalPath}";

    /// <summary><paramref name="text"/> as a quoted HOCON string.</summary>
    public static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
