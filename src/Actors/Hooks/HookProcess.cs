using System.Diagnostics;
using System.Text;
using LitestreamActors.Actors.Settings;

namespace LitestreamActors.Actors.Hooks;

/// <summary>One run of an exec hook: its argv without a shell, the event's <c>LITESTREAM_*</c> variables, killed at the timeout.</summary>
public static class HookProcess
{
    public static async Task<HookOutcome> RunAsync(ExecHook hook, IReadOnlyDictionary<string, string> variables)
    {
        var info = new ProcessStartInfo(hook.Command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in hook.Command.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in variables)
        {
            info.Environment[key] = value;
        }
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return new HookOutcome(string.Empty, $"cannot start {hook.Command[0]}: {e.Message}");
        }
        using (process)
        {
            process.StandardInput.Close();
            var output = new StringBuilder();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(hook.Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                return new HookOutcome(output.Append(await stdout).Append(await stderr).ToString(), $"timed out after {hook.Timeout.TotalSeconds:0}s and was killed");
            }
            output.Append(await stdout).Append(await stderr);
            return new HookOutcome(output.ToString(), process.ExitCode == 0 ? null : $"exited with {process.ExitCode}");
        }
    }
}
