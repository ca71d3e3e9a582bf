using BenchmarkDotNet.Running;
using LitestreamActors.Benchmarks;

// "snapshot DB REPLICA_DIR" prepares the restore benchmark, "write DB RATE SECONDS" is the application of the
// replication benchmark; anything else runs BenchmarkDotNet.
if (args is ["snapshot", var database, var replica])
{
    return await SnapshotWriter.RunAsync(database, replica);
}
if (args is ["write", var db, var rate, var seconds])
{
    return PacedWriter.Run(db, int.Parse(rate, System.Globalization.CultureInfo.InvariantCulture), double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture));
}
BenchmarkSwitcher.FromAssembly(typeof(LtxCodecBenchmarks).Assembly).Run(args);
return 0;
