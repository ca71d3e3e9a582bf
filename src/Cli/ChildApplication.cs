using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LitestreamActors.Cli;

/// <summary>
/// The application <c>replicate -exec</c> runs: sharing our standard streams, started without a shell, sent the stop
/// signal we receive.
/// </summary>
internal sealed class ChildApplication : IDisposable
{
    private readonly Process _process;

    private ChildApplication(Process process) => _process = process;

    public int Id => _process.Id;

    public static ChildApplication Start(IReadOnlyList<string> words)
    {
        var info = new ProcessStartInfo(words[0]) { UseShellExecute = false };
        foreach (var word in words.Skip(1))
        {
            info.ArgumentList.Add(word);
        }
        try
        {
            return new ChildApplication(Process.Start(info) ?? throw new Storage.StorageException($"cannot start {words[0]}"));
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new Storage.StorageException($"cannot start {words[0]}: {e.Message}");
        }
    }

    public async Task<int> WaitAsync()
    {
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    public void Signal(PosixSignal signal) => _ = Kill(_process.Id, signal == PosixSignal.SIGINT ? 2 : 15);

    public void Dispose() => _process.Dispose();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
