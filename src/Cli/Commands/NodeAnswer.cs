using System.Text.Json;

namespace LitestreamActors.Cli.Commands;

/// <summary>A request to the running node bounded by a command's <c>-timeout</c>: no answer in time is one clear error.</summary>
internal static class NodeAnswer
{
    public static async Task<JsonElement> WithinAsync(
        Func<CancellationToken, Task<JsonElement>> ask, double seconds, string what, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(seconds));
        try
        {
            return await ask(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new Storage.StorageException($"the node did not answer {what} within {seconds:0.#}s");
        }
    }
}
