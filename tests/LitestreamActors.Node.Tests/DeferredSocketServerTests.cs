using System.Net.Sockets;
using LitestreamActors.Node.Control;
using LitestreamActors.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace LitestreamActors.Node.Tests;

public sealed class DeferredSocketServerTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private int _starts;

    [Fact]
    public async Task The_first_client_starts_the_server_once_and_is_answered_on_the_connection_it_opened()
    {
        var path = Path.Combine(_dir.Path, "s");
        await using var server = DeferredSocketServer.Listen(path, Start, e => throw e);
        Assert.Equal(0, Volatile.Read(ref _starts));
        using var client = Client(path);
        Assert.Equal("pong", await client.GetStringAsync("/ping"));
        Assert.Equal("pong", await client.GetStringAsync("/ping"));
        using var another = Client(path);
        Assert.Equal("pong", await another.GetStringAsync("/ping"));
        Assert.Equal(1, Volatile.Read(ref _starts));
    }

    [Fact]
    public async Task Closed_before_any_client_it_never_starts_and_refuses_connections()
    {
        var path = Path.Combine(_dir.Path, "s");
        var server = DeferredSocketServer.Listen(path, Start, e => throw e);
        await server.DisposeAsync();
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        Assert.Throws<SocketException>(() => socket.Connect(new UnixDomainSocketEndPoint(path)));
        Assert.Equal(0, Volatile.Read(ref _starts));
    }

    [Fact]
    public async Task A_server_that_cannot_start_is_reported_and_its_clients_are_refused_not_left_waiting()
    {
        var path = Path.Combine(_dir.Path, "s");
        var failures = new List<Exception>();
        await using var server = DeferredSocketServer.Listen(path, _ => throw new InvalidOperationException("no server"), e =>
        {
            lock (failures)
            {
                failures.Add(e);
            }
        });
        using var client = Client(path);
        await Assert.ThrowsAnyAsync<Exception>(() => client.GetStringAsync("/ping"));
        lock (failures)
        {
            Assert.Equal("no server", Assert.Single(failures).Message);
        }
    }

    public void Dispose() => _dir.Dispose();

    private async Task<IAsyncDisposable> Start(ulong descriptor)
    {
        Interlocked.Increment(ref _starts);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenHandle(descriptor));
        var app = builder.Build();
        app.MapGet("/ping", () => "pong");
        await app.StartAsync();
        return app;
    }

    private static HttpClient Client(string path) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        },
    })
    { BaseAddress = new Uri("http://localhost"), Timeout = TimeSpan.FromSeconds(30) };
}
