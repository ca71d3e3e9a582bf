namespace LitestreamActors.Cli;

/// <summary>
/// The one line for an exception no command expected (a defect of ours): the innermost cause's type and message, and
/// the type whose static initializer failed when that is where it came from, so it is reportable without a stack trace.
/// </summary>
internal static class UnexpectedErrorLine
{
    public static string For(Exception e)
    {
        var cause = e.GetBaseException();
        var where = e is TypeInitializationException initializer ? $" (initializing {initializer.TypeName})" : string.Empty;
        return $"Error: unexpected {cause.GetType().Name}{where}: {cause.Message.ReplaceLineEndings(" ")}";
    }
}
