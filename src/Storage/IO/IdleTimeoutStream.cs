using System.Net.Sockets;

namespace LitestreamActors.Storage.IO;

/// <summary>
/// A TCP connection that fails when no byte moves for <see cref="IdleTimeout"/> (docs/reliability.md): a stalled server
/// or a black-holed link surfaces as an error the backend retries on a new connection, while a slow link that keeps
/// moving is never cut, whatever a request's size. It stays a <see cref="NetworkStream"/>, so HTTP's connection pool
/// can still see a pooled connection the server closed before it sends a request on it. <c>unsentBytes</c> tells how
/// much written data the peer has not acknowledged yet (by default the socket's own send queue).
/// </summary>
public sealed class IdleTimeoutStream(Socket socket, TimeSpan idleTimeout, Func<long>? unsentBytes = null) : NetworkStream(socket, ownsSocket: true)
{
    private readonly Func<long> _unsentBytes = unsentBytes ?? (() => SocketSendQueue.Unsent(socket));

    public TimeSpan IdleTimeout { get; } = idleTimeout;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        await Watched(base.ReadAsync(buffer, cancellationToken).AsTask(), cancellationToken).ConfigureAwait(false);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        await Watched(WriteThrough(buffer, cancellationToken), cancellationToken).ConfigureAwait(false);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override int Read(Span<byte> buffer)
    {
        var rented = System.Buffers.ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            var read = Read(rented, 0, buffer.Length);
            rented.AsSpan(0, read).CopyTo(buffer);
            return read;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);

    // An operation may wait longer than the timeout while bytes already written still drain towards a slow server (a
    // response comes only after the whole request arrived): that counts as movement. Only when neither happens for
    // the timeout is the connection given up.
    private async Task<T> Watched<T>(Task<T> operation, CancellationToken cancellationToken)
    {
        var unsent = _unsentBytes();
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (await Task.WhenAny(operation, Task.Delay(IdleTimeout, timer.Token)).ConfigureAwait(false) != operation)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (operation.IsCompleted)
            {
                break;
            }
            var now = _unsentBytes();
            if (now >= unsent || now == 0)
            {
                Dispose();
                throw Stalled();
            }
            unsent = now;
        }
        await timer.CancelAsync().ConfigureAwait(false);
        return await operation.ConfigureAwait(false);
    }

    private async Task<bool> WriteThrough(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        await base.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private IOException Stalled() => new($"no byte moved for {IdleTimeout.TotalSeconds:0} s: the connection stalled");
}
