using System.Text.Json;
using System.Text.Json.Serialization;
using LitestreamActors.Cli.Commands;

namespace LitestreamActors.Cli.Output;

/// <summary>
/// Every value the commands print with <c>-json</c>, serialized by code generated at build time (docs/performance.md,
/// "A native build"); a type missing here fails the same way in every build.
/// </summary>
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(List<DatabasesCommand.DatabaseListing>))]
[JsonSerializable(typeof(List<GenerationsCommand.GenerationRow>))]
[JsonSerializable(typeof(List<SnapshotsCommand.SnapshotRow>))]
[JsonSerializable(typeof(List<WalCommand.SegmentRow>))]
[JsonSerializable(typeof(List<StatusCommand.StatusRow>))]
[JsonSerializable(typeof(IEnumerable<LtxCommand.LtxListing>))]
[JsonSerializable(typeof(MigrateCommand.MigrationSummary))]
[JsonSerializable(typeof(RestoreCommand.RestoreSummary))]
[JsonSerializable(typeof(RestoreCommand.DryRunPlan))]
[JsonSerializable(typeof(V3RestoreChoice.V3Summary))]
[JsonSerializable(typeof(V3RestoreChoice.V3PlanView))]
[JsonSerializable(typeof(VerifyCommand.VerifyReport))]
[JsonSerializable(typeof(ClusterRestoreRun.Summary))]
internal sealed partial class CliJson : JsonSerializerContext;
