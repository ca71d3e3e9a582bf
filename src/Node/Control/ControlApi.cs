using System.Text.Json;
using Akka.Actor;
using LitestreamActors.Actors.Control;
using LitestreamActors.Actors.Database;
using LitestreamActors.Actors.Status;
using LitestreamActors.Actors.Supervision;
using LitestreamActors.Node.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LitestreamActors.Node.Control;

/// <summary>
/// The control API: upstream's socket endpoints (<c>/list</c>, <c>/info</c>, <c>/txid</c>, <c>/sync</c>, <c>/start</c>,
/// <c>/stop</c>, <c>/register</c>, <c>/unregister</c>) plus <c>/promote</c> (<see cref="Promotion"/>), <c>/status</c> with every replica's position and lag, and
/// <c>/cluster/...</c> (<see cref="ClusterApi"/>) and <c>/actors</c> (<see cref="ActorsApi"/>).
/// Answers are JSON; a refusal is <c>{error}</c> with 400, 404, 409, 503 or 504.
/// </summary>
public sealed class ControlApi(IActorRef supervisor, string version, ClusterApi cluster, ActorsApi actors)
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    private readonly DateTimeOffset _startedAt = DateTimeOffset.UtcNow;

    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = ControlJson.Default,
    };

    public ClusterApi Cluster => cluster;

    public void Map(IEndpointRouteBuilder routes)
    {
        cluster.Map(routes);
        actors.Map(routes);
        routes.MapGet("/status", async (string? path) => path is null
            ? Results.Json(new StatusAnswer((await AllAsync()).Select(DatabaseView.From)), JsonOptions)
            : Answer(await supervisor.Ask<object>(new LitestreamSupervisor.GetDatabase(Normalize(path)), AskTimeout), (DatabaseStatus s) => DatabaseView.From(s)));
        routes.MapGet("/list", async () => Results.Json(
            new ListAnswer((await AllAsync()).Select(s => new ListedDatabase(s.Path, s.State, s.LastSyncAt))), JsonOptions));
        routes.MapGet("/info", async () => Results.Json(
            new InfoAnswer(version, Environment.ProcessId, (long)(DateTimeOffset.UtcNow - _startedAt).TotalSeconds, _startedAt, (await AllAsync()).Count),
            JsonOptions));
        routes.MapGet("/txid", async (string? path) => path is null
            ? Error(ControlErrorKind.Invalid, "path is required")
            : Answer(await supervisor.Ask<object>(new LitestreamSupervisor.GetDatabase(Normalize(path)), AskTimeout), (DatabaseStatus s) => new TxidAnswer(ReplicaView.Hex(s.Txid))));
        routes.MapPost("/sync", (ControlRequest request) => WithPath(request, async path =>
        {
            var timeout = Timeout(request);
            var reply = await supervisor.Ask<object>(new LitestreamSupervisor.SyncDatabase(path, request.Wait ?? false, timeout), timeout + AskTimeout);
            return Answer(reply, (DatabaseActor.Synced s) => new SyncAnswer(
                !s.Changed ? "no_change" : request.Wait == true ? "synced" : "synced_local",
                s.Path,
                ReplicaView.Hex(s.Txid),
                ReplicaView.Hex(s.ReplicatedTxid)));
        }));
        routes.MapPost("/promote", async (ControlRequest request) => request.Path is not { Length: > 0 } given
            ? Error(ControlErrorKind.Invalid, "path is required")
            : Outcome(await new Promotion(supervisor, cluster).PromoteAsync(
                Actors.Cluster.CatalogLookup.Split(given).Node is null ? Normalize(given) : given, Timeout(request))));
        routes.MapPost("/start", (ControlRequest request) => WithPath(request, async path =>
            Outcome(await supervisor.Ask<object>(new LitestreamSupervisor.StartDatabase(path), AskTimeout))));
        routes.MapPost("/stop", (ControlRequest request) => WithPath(request, async path =>
            Outcome(await supervisor.Ask<object>(new LitestreamSupervisor.StopDatabase(path, Timeout(request)), Timeout(request) + AskTimeout))));
        routes.MapPost("/register", (ControlRequest request) => WithPath(request, async path => request.ReplicaUrl is not { Length: > 0 } url
            ? Error(ControlErrorKind.Invalid, "replica_url is required")
            : Outcome(await supervisor.Ask<object>(new LitestreamSupervisor.RegisterDatabase(path, url), AskTimeout))));
        routes.MapPost("/unregister", (ControlRequest request) => WithPath(request, async path =>
            Outcome(await supervisor.Ask<object>(new LitestreamSupervisor.UnregisterDatabase(path, Timeout(request)), Timeout(request) + AskTimeout))));
    }

    public Task<IReadOnlyList<DatabaseStatus>> AllAsync() =>
        supervisor.Ask<IReadOnlyList<DatabaseStatus>>(new LitestreamSupervisor.GetStatus(), AskTimeout);

    public static IResult Error(ControlErrorKind kind, string message) => Results.Json(new ErrorAnswer(message), JsonOptions, statusCode: kind switch
    {
        ControlErrorKind.NotFound => StatusCodes.Status404NotFound,
        ControlErrorKind.Conflict => StatusCodes.Status409Conflict,
        ControlErrorKind.Timeout => StatusCodes.Status504GatewayTimeout,
        ControlErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status400BadRequest,
    });

    private static async Task<IResult> WithPath(ControlRequest request, Func<string, Task<IResult>> handle) =>
        request.Path is { Length: > 0 } path ? await handle(Normalize(path)) : Error(ControlErrorKind.Invalid, "path is required");

    private static IResult Answer<T>(object reply, Func<T, object> view) => reply switch
    {
        T value => Results.Json(view(value), JsonOptions),
        ControlError error => Error(error.Kind, error.Message),
        _ => throw new InvalidOperationException($"unexpected reply {reply.GetType().Name}"),
    };

    private static IResult Outcome(object reply) =>
        Answer(reply, (ControlOutcome o) => new OutcomeAnswer(o.Status, o.Path, ReplicaView.Hex(o.Txid)));

    private static TimeSpan Timeout(ControlRequest request) =>
        request.Timeout is > 0 and < 3600 ? TimeSpan.FromSeconds(request.Timeout.Value) : DefaultTimeout;

    private static string Normalize(string path) => PathExpander.DatabasePath(path);
}
