using BenchmarkDotNet.Running;
using LitestreamActors.Benchmarks;

// "snapshot DB REPLICA_DIR" prepares the end-to-end restore benchmark; anything else runs BenchmarkDotNet.
if (args is ["snapshot", var database, var replica])
{
    return await SnapshotWriter.RunAsync(database, replica);
}
BenchmarkSwitcher.FromAssembly(typeof(LtxCodecBenchmarks).Assembly).Run(args);
return 0;
