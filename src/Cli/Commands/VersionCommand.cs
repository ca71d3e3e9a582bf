using System.Reflection;
using System.Runtime.InteropServices;
using LitestreamActors.Cli.Flags;

namespace LitestreamActors.Cli.Commands;

/// <summary><c>litestream version</c>: prints the version; <c>-verbose</c> adds runtime and platform.</summary>
internal sealed class VersionCommand : ICommand
{
    public string Name => "version";

    public string Summary => "Print the version";

    public string Usage => """
        The version command prints the version of this binary.

        Usage:

            litestream version [-verbose]
        """;

    public static string Version
    {
        get
        {
            var informational = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            var plus = informational.IndexOf('+', StringComparison.Ordinal);
            return "v" + (plus >= 0 ? informational[..plus] : informational);
        }
    }

    public Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context, CancellationToken cancellationToken)
    {
        var flags = new FlagSet(Name);
        var verbose = flags.Bool("verbose");
        flags.Parse(args);
        if (flags.Arguments.Count > 0)
        {
            throw new UsageException("too many arguments");
        }
        context.Out.WriteLine(Version);
        if (verbose())
        {
            context.Out.WriteLine($"Runtime: .NET {Environment.Version}");
            context.Out.WriteLine($"OS/Arch: {RuntimeInformation.OSDescription} {RuntimeInformation.OSArchitecture}");
        }
        return Task.FromResult(0);
    }
}
