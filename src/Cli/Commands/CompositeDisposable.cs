namespace LitestreamActors.Cli.Commands;

/// <summary>Several resources released together, in reverse order.</summary>
internal sealed class CompositeDisposable(IReadOnlyList<IDisposable> items) : IDisposable
{
    public void Dispose()
    {
        for (var i = items.Count - 1; i >= 0; i--)
        {
            items[i].Dispose();
        }
    }
}
