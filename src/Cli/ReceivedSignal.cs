using System.Runtime.InteropServices;

namespace LitestreamActors.Cli;

/// <summary>Which stop signal arrived, so <c>replicate</c> can forward the same one to the application it runs.</summary>
internal sealed class ReceivedSignal
{
    public PosixSignal? Last { get; set; }
}
