using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace LitestreamActors.TestSupport;

/// <summary><c>litestream replicate</c> running as a child process, stopped by SIGTERM or killed with SIGKILL.</summary>
public sealed class ReplicateProcess : IDisposable
{
    private const int SigInt = 2;
    private const int SigTerm = 15;
    private const int SigCont = 18;
    private const int SigStop = 19;
    private bool _disposed;
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ReplicateProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The process id (its threads are under <c>/proc/ID/task</c>).</summary>
    public int Id => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static ReplicateProcess Start(params string[] args) => StartExecutable(LitestreamCli.Executable, args);

    /// <summary><c>replicate</c> with extra environment variables (the crash switch).</summary>
    public static ReplicateProcess StartWith(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        Launch(LitestreamCli.Executable, ["replicate", .. args], environment);

    /// <summary>Any <c>litestream</c> command that runs until it ends or is stopped, with extra environment variables.</summary>
    public static ReplicateProcess StartCommandWith(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        Launch(LitestreamCli.Executable, args, environment);

    /// <summary>Whether the process ended (by itself or killed).</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Once it has ended: its exit code, after its last output lines are read.</summary>
    public int ExitCode()
    {
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary><c>restore -f</c>, which also runs until stopped by a signal.</summary>
    public static ReplicateProcess StartRestoreFollow(params string[] args) => Launch(LitestreamCli.Executable, ["restore", "-f", .. args]);

    /// <summary><c>replicate</c> inside a network namespace (<c>ip netns exec</c> execs it, so the process is the node itself).</summary>
    public static ReplicateProcess StartInNamespace(string netns, params string[] args) =>
        Launch("ip", ["netns", "exec", netns, LitestreamCli.Executable, "replicate", .. args]);

    /// <summary><c>replicate</c> of a given <c>litestream</c> executable (benchmarks run the Release build of the CLI).</summary>
    public static ReplicateProcess StartExecutable(string executable, params string[] args) => Launch(executable, ["replicate", .. args]);

    private static ReplicateProcess Launch(string executable, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }
        return new ReplicateProcess(Process.Start(info) ?? throw new InvalidOperationException("cannot start litestream"));
    }

    /// <summary>SIGTERM (or SIGINT, as Ctrl-C), then wait for the exit code (the final sync is bounded to 30 s).</summary>
    public int Stop(int timeoutSeconds = 60, bool interrupt = false)
    {
        _ = Kill(_process.Id, interrupt ? SigInt : SigTerm);
        if (!_process.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
        {
            _process.Kill();
            throw new TimeoutException("replicate did not stop after SIGTERM:\n" + Output);
        }
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>SIGSTOP: the process and every thread in it freeze until <see cref="Resume"/>, as a long GC pause or a stalled VM.</summary>
    public void Pause() => _ = Kill(_process.Id, SigStop);

    public void Resume() => _ = Kill(_process.Id, SigCont);

    /// <summary>kill -9: no final sync, no cleanup.</summary>
    public void Kill9()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (!_process.HasExited)
        {
            Resume();
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
