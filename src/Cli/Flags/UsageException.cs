namespace LitestreamActors.Cli.Flags;

/// <summary>The command line itself is wrong: exit 2 with the message and a pointer to the help.</summary>
public sealed class UsageException(string message) : Exception(message);
