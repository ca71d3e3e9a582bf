using LitestreamActors.Actors.Settings;
using LitestreamActors.Storage.Replica;
using YamlDotNet.RepresentationModel;

namespace LitestreamActors.Node.Configuration;

/// <summary>The <c>standbys:</c> list (docs/cluster.md, "Warm standbys").</summary>
public sealed partial class ConfigLoader
{
    private static readonly ConfigKeys StandbyKeys = new("a standbys entry", new HashSet<string> { "replica", "path", "promote" }, new HashSet<string>());

    private List<StandbySettings> ParseStandbys(YamlSequenceNode list, IReadOnlyList<DatabaseSettings> databases, bool clustered)
    {
        var standbys = new List<StandbySettings>();
        foreach (var item in list.Children)
        {
            var node = AsMapping(item, "a standbys entry");
            CheckKeys(node, StandbyKeys);
            var path = Scalar(node, "path") is { Length: > 0 } given ? PathExpander.DatabasePath(given) : throw Error(node, "a standbys entry needs a path");
            if (databases.Any(d => d.Path == path) || standbys.Any(s => s.Path == path))
            {
                throw Error(node, $"{path} is already a database or a standby of this config; a standby needs a path of its own");
            }
            var url = Scalar(node, "replica") is { Length: > 0 } replica ? ReplicaUrlOf(node, replica, databases) : throw Error(node, "a standbys entry needs a replica (a replica URL or the name of a replica of dbs)");
            var auto = Scalar(node, "promote") switch
            {
                null or "manual" => false,
                "auto" => true,
                var other => throw Error(Child(node, "promote")!, $"invalid promote \"{other}\": expected manual or auto"),
            };
            if (auto && !clustered)
            {
                _warnings.Add($"{_source}: line {node.Start.Line}: promote: auto needs a cluster: section (the writer leaving the cluster is the signal); {path} is promoted only by litestream promote");
            }
            var endpoint = new ReplicaEndpoint(string.Empty, url, null);
            try
            {
                ReplicaClientFactory.Locate(endpoint);
            }
            catch (ReplicaConfigurationException e)
            {
                throw Error(Child(node, "replica")!, e.Message);
            }
            standbys.Add(new StandbySettings(path, _replicaDefaults with { Name = ReplicaUrl.SchemeOf(url)!, Endpoint = endpoint }, url, auto));
        }
        return standbys;
    }

    // A URL as given, or the URL of the replica of that name among this config's databases.
    private string ReplicaUrlOf(YamlMappingNode node, string replica, IReadOnlyList<DatabaseSettings> databases)
    {
        if (ReplicaUrl.IsUrl(replica))
        {
            return replica;
        }
        var named = databases.SelectMany(d => d.Replicas).Where(r => r.Name == replica).ToList();
        return named switch
        {
            [{ Endpoint.Url: { } url }] => url,
            [_] => throw Error(Child(node, "replica")!, $"replica {replica} has no url: a standby follows a replica named by URL"),
            [] => throw Error(Child(node, "replica")!, $"replica \"{replica}\" is neither a replica URL nor the name of a replica of dbs"),
            _ => throw Error(Child(node, "replica")!, $"several replicas of dbs are named \"{replica}\": give the URL"),
        };
    }
}
