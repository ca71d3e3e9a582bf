namespace LitestreamActors.Node.Configuration;

/// <summary>Present when the config has a <c>cluster:</c> section: the node joins an Akka.Cluster.</summary>
public sealed record ClusterSettings(string Hostname, int Port, IReadOnlyList<string> SeedNodes);
