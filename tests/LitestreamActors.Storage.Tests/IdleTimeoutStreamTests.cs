using System.Net;
using System.Net.Sockets;
using LitestreamActors.Storage.IO;

namespace LitestreamActors.Storage.Tests;

/// <summary>A connection is given up only when no byte moves for the timeout, however long an operation waits.</summary>
public sealed class IdleTimeoutStreamTests : IDisposable
{
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(300);
    private readonly Socket _client = new(SocketType.Stream, ProtocolType.Tcp);
    private readonly Socket _server;

    public IdleTimeoutStreamTests()
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        _client.Connect(listener.LocalEndPoint!);
        _server = listener.Accept();
    }

    [Fact]
    public async Task A_read_that_gets_nothing_for_the_timeout_fails_as_a_stall()
    {
        using var stream = new IdleTimeoutStream(_client, Idle);
        var error = await Assert.ThrowsAsync<IOException>(async () => _ = await stream.ReadAsync(new byte[16]));
        Assert.Contains("stalled", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_answered_before_the_timeout_returns_the_bytes()
    {
        // The answer comes after a wait well inside a generous timeout: a loaded machine may delay this test's own
        // timer by hundreds of milliseconds, which must not read as a stall.
        var timeout = TimeSpan.FromSeconds(10);
        using var stream = new IdleTimeoutStream(_client, timeout);
        var read = stream.ReadAsync(new byte[16]).AsTask();
        await Task.Delay(Idle);
        _server.Send([1, 2, 3]);
        Assert.Equal(3, await read);
    }

    [Fact]
    public async Task A_read_that_waits_while_written_bytes_still_drain_is_not_a_stall()
    {
        var unsent = 100_000L;
        using var stream = new IdleTimeoutStream(_client, Idle, () => unsent -= 1_000);
        var read = stream.ReadAsync(new byte[16]).AsTask();
        await Task.Delay(Idle * 4);
        Assert.False(read.IsCompleted);
        _server.Send([7]);
        Assert.Equal(1, await read);
    }

    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
    }
}
