using LitestreamActors.Actors.Settings;
using LitestreamActors.Storage.Directories;
using YamlDotNet.RepresentationModel;

namespace LitestreamActors.Node.Configuration;

// A dbs entry with dir: and pattern: instead of path: (docs/replication.md, "Directories").
public sealed partial class ConfigLoader
{
    private DatabaseDirectory ParseDirectory(YamlMappingNode node)
    {
        CheckKeys(node, ConfigKeys.Database);
        if (Child(node, "path") is { } path)
        {
            throw Error(path, "a dbs entry takes path (one database) or dir (a directory of databases), not both");
        }
        var directory = Scalar(node, "dir") is { Length: > 0 } dir ? PathExpander.Absolute(dir) : throw Error(Child(node, "dir")!, "dir is empty");
        var patternText = Scalar(node, "pattern") ?? throw Error(node, "a dir entry needs a pattern matching its databases' names (for example pattern: \"*.db\")");
        GlobPattern pattern;
        try
        {
            pattern = GlobPattern.Parse(patternText);
        }
        catch (FormatException e)
        {
            throw Error(Child(node, "pattern")!, e.Message);
        }
        if (Child(node, "meta-dir") is { } metaDir && Child(node, "meta-path") is not null)
        {
            throw Error(metaDir, "meta-dir and meta-path cannot both be set");
        }
        var (template, names) = ParseDatabaseAt(node, directory);
        template = Named(template, [.. template.Replicas], [.. names]);
        if (template.Replicas.Count == 0)
        {
            throw Error(node, $"the dir entry for {directory} has no replica");
        }
        if (template.Replicas.FirstOrDefault(r => r.Endpoint.BackendType == "nats") is not null)
        {
            throw Error(node, "a nats replica cannot serve a dir entry: its URL names one bucket, and each database needs its own");
        }
        if (template.RestoreIfMissing)
        {
            _warnings.Add($"{_source}: line {Child(node, "restore-if-db-not-exists")!.Start.Line}: restore-if-db-not-exists does nothing in a dir entry (which databases to restore is not known): restore each by its path");
        }
        return new DatabaseDirectory(directory, pattern, template)
        {
            Recursive = Boolean(node, "recursive", "recursive") ?? false,
            Watch = Boolean(node, "watch", "watch") ?? false,
            MetaDirectory = Scalar(node, "meta-dir") is { Length: > 0 } meta ? PathExpander.Absolute(meta) : null,
        };
    }
}
