namespace LitestreamActors.EndToEnd.Tests;

/// <summary>The writer matrix saturates both cores and the disk on purpose, so it runs alone, after the other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WriterMatrixCollection
{
    public const string Name = "writer matrix";
}
