namespace LitestreamActors.Storage;

/// <summary>
/// A failure whose message is fit to show a user as one line: it names the file or the reason.
/// Anything else reaching the CLI is a defect.
/// </summary>
public class StorageException(string message, Exception? inner = null) : Exception(message, inner);
