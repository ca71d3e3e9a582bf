using LitestreamActors.Actors.Settings;
using LitestreamActors.Storage.Replica;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LitestreamActors.Node.Configuration;

/// <summary>Reads a Litestream YAML config into settings: <c>dbs[]</c> with a single <c>replica:</c> or the older <c>replicas:</c> list.</summary>
public static class ConfigLoader
{
    public static LitestreamSettings LoadFile(string path, bool expandEnvironment)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ConfigException($"config file not found: {path}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"cannot read config file {path}: {e.Message}");
        }
        return Parse(expandEnvironment ? EnvironmentExpander.ExpandFromProcess(text) : text, path);
    }

    public static LitestreamSettings Parse(string text, string sourceName)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ConfigException($"{sourceName}: line {e.Start.Line}: {FirstLine(e.Message)}");
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return new LitestreamSettings([]);
        }
        var root = stream.Documents[0].RootNode as YamlMappingNode
            ?? throw Error(sourceName, stream.Documents[0].RootNode, "the config must be a mapping of keys");

        var databases = new List<DatabaseSettings>();
        if (Child(root, "dbs") is { } dbs)
        {
            foreach (var entry in AsSequence(sourceName, dbs, "dbs").Children)
            {
                databases.Add(ParseDatabase(sourceName, AsMapping(sourceName, entry, "a dbs entry")));
            }
        }
        return new LitestreamSettings(databases);
    }

    private static DatabaseSettings ParseDatabase(string source, YamlMappingNode node)
    {
        var path = Scalar(source, node, "path") ?? throw Error(source, node, "a dbs entry needs a path");
        var replicas = new List<ReplicaSettings>();
        if (Child(node, "replica") is { } single)
        {
            replicas.Add(ParseReplica(source, AsMapping(source, single, "replica")));
        }
        if (Child(node, "replicas") is { } list)
        {
            foreach (var entry in AsSequence(source, list, "replicas").Children)
            {
                replicas.Add(ParseReplica(source, AsMapping(source, entry, "a replicas entry")));
            }
        }
        return new DatabaseSettings(PathExpander.DatabasePath(path), replicas);
    }

    private static ReplicaSettings ParseReplica(string source, YamlMappingNode node)
    {
        var url = Scalar(source, node, "url");
        var type = Scalar(source, node, "type") ?? string.Empty;
        var path = Scalar(source, node, "path");
        if (url is null && type is "" or "file" && path is null)
        {
            throw Error(source, node, "a replica needs a url, or a type and a path");
        }
        if (url is null && path is not null && type is "" or "file")
        {
            path = PathExpander.Absolute(path);
        }
        var endpoint = new ReplicaEndpoint(type, url, path);
        var name = Scalar(source, node, "name") ?? (type.Length > 0 ? type : SchemeOf(url) ?? "file");
        return new ReplicaSettings(name, endpoint);
    }

    private static string? SchemeOf(string? url) =>
        url is not null && ReplicaUrl.IsUrl(url) ? url[..url.IndexOf(':', StringComparison.Ordinal)].ToLowerInvariant() : null;

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is not YamlScalarNode { Value: null } ? value : null;

    private static string? Scalar(string source, YamlMappingNode node, string key) => Child(node, key) switch
    {
        null => null,
        YamlScalarNode scalar => scalar.Value,
        var other => throw Error(source, other, $"{key} must be a single value"),
    };

    private static YamlSequenceNode AsSequence(string source, YamlNode node, string what) =>
        node as YamlSequenceNode ?? throw Error(source, node, $"{what} must be a list");

    private static YamlMappingNode AsMapping(string source, YamlNode node, string what) =>
        node as YamlMappingNode ?? throw Error(source, node, $"{what} must be a mapping of keys");

    private static ConfigException Error(string source, YamlNode node, string message) => new($"{source}: line {node.Start.Line}: {message}");

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
