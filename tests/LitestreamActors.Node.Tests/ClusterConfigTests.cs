using LitestreamActors.Node.Configuration;

namespace LitestreamActors.Node.Tests;

/// <summary>The <c>cluster:</c> section: membership by seed nodes or discovery, the split brain resolver, and errors.</summary>
public sealed class ClusterConfigTests
{
    [Fact]
    public void Seed_nodes_take_host_port_or_a_full_address_of_the_named_system()
    {
        var cluster = Parse("cluster:\n  name: fleet\n  hostname: 10.0.0.2\n  port: 4054\n  public-hostname: node2.example\n  seed-nodes: [\"10.0.0.1:4053\", \"akka.tcp://fleet@10.0.0.2:4054\"]\n");
        Assert.Equal(("fleet", "10.0.0.2", 4054, "node2.example"), (cluster.Name, cluster.Hostname, cluster.Port, cluster.PublicHostname));
        Assert.Equal(["akka.tcp://fleet@10.0.0.1:4053", "akka.tcp://fleet@10.0.0.2:4054"], cluster.SeedNodes);
        Assert.Null(cluster.Discovery);
    }

    [Fact]
    public void Defaults_are_loopback_port_4053_keep_majority_after_20_seconds()
    {
        var cluster = Parse("cluster: {}\n");
        Assert.Equal((ClusterSettings.DefaultName, "127.0.0.1", 4053, 2), (cluster.Name, cluster.Hostname, cluster.Port, cluster.RequiredContactPoints));
        Assert.Equal(new SplitBrainSettings(SplitBrainSettings.KeepMajority, TimeSpan.FromSeconds(20)), cluster.SplitBrain);
    }

    [Fact]
    public void Discovery_by_config_or_kubernetes_with_the_resolver_settings()
    {
        var config = Parse("cluster:\n  required-contact-points: 3\n  discovery:\n    method: config\n    endpoints: [\"127.0.0.1:8558\", \"127.0.0.1:8559\"]\n"
            + "  split-brain:\n    strategy: keep-oldest\n    stable-after: 5s\n");
        Assert.Equal(ClusterDiscovery.Config, config.Discovery!.Method);
        Assert.Equal(ClusterSettings.DefaultName, config.Discovery.ServiceName);
        Assert.Equal(["127.0.0.1:8558", "127.0.0.1:8559"], config.Discovery.Endpoints);
        Assert.Equal(3, config.RequiredContactPoints);
        Assert.Equal(new SplitBrainSettings(SplitBrainSettings.KeepOldest, TimeSpan.FromSeconds(5)), config.SplitBrain);

        var kubernetes = Parse("cluster:\n  discovery:\n    method: kubernetes\n    service-name: litestream-node\n    pod-namespace: data\n").Discovery!;
        Assert.Equal((ClusterDiscovery.Kubernetes, "litestream-node", "app={0}", "data"), (kubernetes.Method, kubernetes.ServiceName, kubernetes.PodLabelSelector, kubernetes.PodNamespace));
    }

    [Theory]
    [InlineData("cluster:\n  gossip: 1s\n", "unknown key \"gossip\" in cluster")]
    [InlineData("cluster:\n  seed-nodes: [\"nohost\"]\n", "invalid seed node \"nohost\"")]
    [InlineData("cluster:\n  seed-nodes: [\"akka.tcp://other@h:1\"]\n", "invalid seed node \"akka.tcp://other@h:1\"")]
    [InlineData("cluster:\n  name: \"a b\"\n", "invalid cluster name")]
    [InlineData("cluster:\n  port: 70000\n", "invalid port 70000")]
    [InlineData("cluster:\n  discovery: {method: dns}\n", "unknown discovery method \"dns\"")]
    [InlineData("cluster:\n  discovery: {method: config}\n", "needs endpoints")]
    [InlineData("cluster:\n  discovery: {method: kubernetes, endpoints: [\"h:1\"]}\n", "endpoints are for discovery method config")]
    [InlineData("cluster:\n  seed-nodes: [\"h:1\"]\n  discovery: {method: config, endpoints: [\"h:1\"]}\n", "either seed-nodes or discovery")]
    [InlineData("cluster:\n  split-brain: {strategy: static-quorum}\n", "unknown split-brain strategy")]
    [InlineData("cluster:\n  split-brain: {stable-after: 0s}\n", "stable-after must be above zero")]
    [InlineData("cluster:\n  required-contact-points: 0\n", "at least 1")]
    [InlineData("cluster:\n  required-contact-points: 2\n", "required-contact-points is for cluster.discovery")]
    public void Bad_cluster_settings_are_one_line_naming_the_problem(string yaml, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(yaml, "c.yml"));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    private static ClusterSettings Parse(string yaml) => ConfigLoader.Parse(yaml, "c.yml").Cluster!;
}
