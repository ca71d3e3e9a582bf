using LitestreamActors.Actors.Settings;
using YamlDotNet.RepresentationModel;

namespace LitestreamActors.Node.Configuration;

/// <summary>The <c>cluster:</c> section (docs/cluster.md, "Configuration").</summary>
public sealed partial class ConfigLoader
{
    private ClusterSettings ParseCluster(YamlMappingNode node)
    {
        CheckKeys(node, new ConfigKeys("cluster", new HashSet<string>
        {
            "name", "hostname", "port", "public-hostname", "seed-nodes", "discovery", "required-contact-points", "split-brain", "lease-ttl",
        }, new HashSet<string>()));
        var name = Scalar(node, "name") ?? ClusterSettings.DefaultName;
        if (!IsActorSystemName(name))
        {
            throw Error(Child(node, "name")!, $"invalid cluster name \"{name}\": letters, digits, '-' and '_', starting with a letter or digit");
        }
        var port = Integer(node, "port") ?? 4053;
        if (port > 65535)
        {
            throw Error(Child(node, "port")!, $"invalid port {port}");
        }
        var seeds = Child(node, "seed-nodes") is { } list
            ? AsSequence(list, "seed-nodes").Children.Select(n => SeedNode(n, name)).ToList()
            : [];
        var discovery = Child(node, "discovery") is { } section ? ParseDiscovery(AsMapping(section, "cluster.discovery"), name) : null;
        if (discovery is not null && seeds.Count > 0)
        {
            throw Error(Child(node, "discovery")!, "cluster: give either seed-nodes or discovery, not both");
        }
        var required = Integer(node, "required-contact-points") ?? 2;
        if (required < 1)
        {
            throw Error(Child(node, "required-contact-points")!, "required-contact-points must be at least 1");
        }
        if (Child(node, "required-contact-points") is { } points && discovery is null)
        {
            throw Error(points, "required-contact-points is for cluster.discovery");
        }
        var leaseTtl = PositiveDuration(node, "lease-ttl") ?? ReplicaOwnership.DefaultClusterLeaseTimeToLive;
        if (leaseTtl < TimeSpan.FromSeconds(3))
        {
            throw Error(Child(node, "lease-ttl")!, "lease-ttl must be at least 3s (it is renewed every third of it)");
        }
        return new ClusterSettings(name, Scalar(node, "hostname") ?? "127.0.0.1", port, seeds)
        {
            LeaseTimeToLive = leaseTtl,
            PublicHostname = Scalar(node, "public-hostname"),
            Discovery = discovery,
            RequiredContactPoints = required,
            SplitBrain = Child(node, "split-brain") is { } brain ? ParseSplitBrain(AsMapping(brain, "cluster.split-brain")) : new SplitBrainSettings(SplitBrainSettings.KeepMajority, TimeSpan.FromSeconds(20)),
        };
    }

    // host:port, or a full Akka address of this cluster's system.
    private string SeedNode(YamlNode node, string systemName)
    {
        var text = (node as YamlScalarNode)?.Value ?? throw Error(node, "a seed node must be an address");
        if (text.Contains("://", StringComparison.Ordinal))
        {
            var prefix = $"akka.tcp://{systemName}@";
            return text.StartsWith(prefix, StringComparison.Ordinal) && HostPort(text[prefix.Length..])
                ? text
                : throw Error(node, $"invalid seed node \"{text}\": expected host:port or {prefix}host:port");
        }
        return HostPort(text) ? $"akka.tcp://{systemName}@{text}" : throw Error(node, $"invalid seed node \"{text}\": expected host:port");
    }

    private ClusterDiscovery ParseDiscovery(YamlMappingNode node, string systemName)
    {
        CheckKeys(node, new ConfigKeys("cluster.discovery", new HashSet<string>
        {
            "method", "service-name", "endpoints", "pod-label-selector", "pod-namespace", "api-token-path", "api-ca-path",
        }, new HashSet<string>()));
        var method = Scalar(node, "method") ?? throw Error(node, "cluster.discovery needs a method (config or kubernetes)");
        if (!ClusterDiscovery.Methods.Contains(method))
        {
            throw Error(Child(node, "method")!, $"unknown discovery method \"{method}\" (one of: config, kubernetes)");
        }
        var endpoints = Child(node, "endpoints") is { } list
            ? AsSequence(list, "endpoints").Children.Select(n => (n as YamlScalarNode)?.Value is { } e && HostPort(e) ? e : throw Error(n, "an endpoint must be host:port")).ToList()
            : [];
        if (method == ClusterDiscovery.Config && endpoints.Count == 0)
        {
            throw Error(node, "discovery method config needs endpoints (the nodes' host:port)");
        }
        if (method != ClusterDiscovery.Config && endpoints.Count > 0)
        {
            throw Error(Child(node, "endpoints")!, "endpoints are for discovery method config");
        }
        return new ClusterDiscovery(method, Scalar(node, "service-name") ?? systemName)
        {
            Endpoints = endpoints,
            PodLabelSelector = Scalar(node, "pod-label-selector") ?? "app={0}",
            PodNamespace = Scalar(node, "pod-namespace"),
            ApiTokenPath = Scalar(node, "api-token-path") is { } token ? PathExpander.Absolute(token) : null,
            ApiCaPath = Scalar(node, "api-ca-path") is { } ca ? PathExpander.Absolute(ca) : null,
        };
    }

    private SplitBrainSettings ParseSplitBrain(YamlMappingNode node)
    {
        CheckKeys(node, new ConfigKeys("cluster.split-brain", new HashSet<string> { "strategy", "stable-after" }, new HashSet<string>()));
        var strategy = Scalar(node, "strategy") ?? SplitBrainSettings.KeepMajority;
        if (!SplitBrainSettings.Strategies.Contains(strategy))
        {
            throw Error(Child(node, "strategy")!, $"unknown split-brain strategy \"{strategy}\" (one of: keep-majority, keep-oldest)");
        }
        return new SplitBrainSettings(strategy, PositiveDuration(node, "stable-after") ?? TimeSpan.FromSeconds(20));
    }

    private static bool IsActorSystemName(string name) =>
        name.Length > 0 && char.IsAsciiLetterOrDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static bool HostPort(string text)
    {
        var colon = text.LastIndexOf(':');
        return colon > 0 && int.TryParse(text[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
            && port is > 0 and <= 65535 && !text[..colon].Contains('/', StringComparison.Ordinal);
    }
}
