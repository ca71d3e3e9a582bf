namespace LitestreamActors.Storage.IO;

/// <summary>
/// A connection that fails when no byte moves for <see cref="IdleTimeout"/> (docs/reliability.md): a stalled server
/// or a black-holed link surfaces as an error the backend retries on a new connection, while a slow link that keeps
/// moving is never cut, whatever a request's size. <c>unsentBytes</c> tells how much written data the connection has not
/// delivered yet (0 when unknown).
/// </summary>
public sealed class IdleTimeoutStream(Stream inner, TimeSpan idleTimeout, Func<long> unsentBytes) : Stream
{
    public TimeSpan IdleTimeout { get; } = idleTimeout;

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        await Watched(inner.ReadAsync(buffer, cancellationToken).AsTask(), cancellationToken).ConfigureAwait(false);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        await Watched(WriteThrough(buffer, cancellationToken), cancellationToken).ConfigureAwait(false);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => inner.DisposeAsync();

    // An operation may wait longer than the timeout while bytes already written still drain towards a slow server (a
    // response comes only after the whole request arrived): that counts as movement. Only when neither happens for
    // the timeout is the connection given up.
    private async Task<T> Watched<T>(Task<T> operation, CancellationToken cancellationToken)
    {
        var unsent = unsentBytes();
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (await Task.WhenAny(operation, Task.Delay(IdleTimeout, timer.Token)).ConfigureAwait(false) != operation)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var now = unsentBytes();
            if (now >= unsent || now == 0)
            {
                inner.Dispose();
                throw Stalled();
            }
            unsent = now;
        }
        await timer.CancelAsync().ConfigureAwait(false);
        return await operation.ConfigureAwait(false);
    }

    private async Task<bool> WriteThrough(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private IOException Stalled() => new($"no byte moved for {IdleTimeout.TotalSeconds:0} s: the connection stalled");
}
