namespace LitestreamActors.Cli.Flags;

/// <summary>-h, -help or --help was given: print the command's help and exit 0.</summary>
public sealed class HelpRequestedException() : Exception("help requested");
