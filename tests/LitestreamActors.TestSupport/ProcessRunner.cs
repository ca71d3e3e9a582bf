using System.Diagnostics;

namespace LitestreamActors.TestSupport;

/// <summary>Runs a real program to completion with optional stdin and environment, with a hard timeout.</summary>
public static class ProcessRunner
{
    public static ProcessResult Run(
        string fileName, IEnumerable<string> arguments, string? standardInput = null,
        IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null, int timeoutSeconds = 120)
    {
        using var process = Start(fileName, arguments, environment, workingDirectory);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Finish(process, standardInput, timeoutSeconds);
        return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs a program whose output is too large to hold (a dump of a big database); returns its SHA-256, hex.</summary>
    public static string Digest(
        string fileName, IEnumerable<string> arguments, string standardInput, IReadOnlyDictionary<string, string?>? environment = null, int timeoutSeconds = 600)
    {
        using var process = Start(fileName, arguments, environment, null);
        var stderr = process.StandardError.ReadToEndAsync();
        var digest = Task.Run(() => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(process.StandardOutput.BaseStream)));
        Finish(process, standardInput, timeoutSeconds);
        return process.ExitCode == 0 ? digest.Result : throw new InvalidOperationException($"{fileName} exited {process.ExitCode}: {stderr.Result}");
    }

    private static Process Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment, string? workingDirectory)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }
        return Process.Start(info) ?? throw new InvalidOperationException($"cannot start {fileName}");
    }

    private static void Finish(Process process, string? standardInput, int timeoutSeconds)
    {
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
        }
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{process.StartInfo.FileName} did not finish in {timeoutSeconds}s");
        }
        process.WaitForExit();
    }
}
