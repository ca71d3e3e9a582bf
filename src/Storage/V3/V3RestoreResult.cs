namespace LitestreamActors.Storage.V3;

public sealed record V3RestoreResult(string OutputPath, string Generation, uint Index, int SegmentCount);
