using BenchmarkDotNet.Running;
using LitestreamActors.Benchmarks;

// "snapshot DB REPLICA_DIR" prepares the restore benchmark, "history DB L0_DIR COMPACTED_DIR COMMITS SECONDS PAGES"
// simulates a replica's history for the compaction benchmark, "write DB RATE SECONDS" is the application of the
// replication benchmark, "backends" measures each backend's throughput and "requests BACKEND LITESTREAM SECONDS"
// counts replicate's requests (both against the servers bench/backends.sh starts), "soak LITESTREAM KILLS DIR" is the
// kill campaign of bench/soak.sh, "restore-latency LITESTREAM FILES LATENCY_MS RUNS" restores from s3rver behind a slow
// proxy (bench/restore-latency.sh); anything else runs BenchmarkDotNet.
if (args is ["snapshot", var database, var replica])
{
    return await SnapshotWriter.RunAsync(database, replica);
}
if (args is ["write", var db, var rate, var seconds])
{
    return PacedWriter.Run(db, int.Parse(rate, System.Globalization.CultureInfo.InvariantCulture), double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture));
}
if (args is ["history", var source, var l0Only, var compacted, var commits, var secondsPerCommit, var pagesPerCommit])
{
    return await HistorySimulator.RunAsync(
        source, l0Only, compacted, int.Parse(commits, System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(secondsPerCommit, System.Globalization.CultureInfo.InvariantCulture), int.Parse(pagesPerCommit, System.Globalization.CultureInfo.InvariantCulture));
}
if (args is ["backends"])
{
    return await BackendThroughput.RunAsync();
}
if (args is ["requests", var backend, var litestream, var duration])
{
    return await BackendRequests.RunAsync(backend, litestream, double.Parse(duration, System.Globalization.CultureInfo.InvariantCulture));
}
if (args is ["soak", var executable, var kills, var directory])
{
    return await Soak.RunAsync(executable, int.Parse(kills, System.Globalization.CultureInfo.InvariantCulture), directory);
}
if (args is ["restore-latency", var cli, var files, var latency, var runs])
{
    return await RestoreLatency.RunAsync(
        cli, int.Parse(files, System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(latency, System.Globalization.CultureInfo.InvariantCulture), int.Parse(runs, System.Globalization.CultureInfo.InvariantCulture));
}
BenchmarkSwitcher.FromAssembly(typeof(LtxCodecBenchmarks).Assembly).Run(args);
return 0;
