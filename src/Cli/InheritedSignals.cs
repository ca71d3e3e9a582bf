using System.Runtime.InteropServices;

namespace LitestreamActors.Cli;

/// <summary>
/// A shell starts background jobs with SIGINT ignored, and .NET then never delivers it. Upstream (Go's
/// signal.Notify) takes SIGINT back in that case, so `kill -INT` stops a backgrounded replicate; so do we.
/// </summary>
internal static class InheritedSignals
{
    private const int SigInt = 2;
    private static readonly IntPtr Default = IntPtr.Zero;

    public static void RestoreInterrupt()
    {
        if (OperatingSystem.IsLinux())
        {
            _ = Signal(SigInt, Default);
        }
    }

    [DllImport("libc", EntryPoint = "signal")]
    private static extern IntPtr Signal(int signal, IntPtr handler);
}
