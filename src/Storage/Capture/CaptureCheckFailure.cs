namespace LitestreamActors.Storage.Capture;

/// <summary>
/// An L0 file that disagreed with the database as SQLite shows it at its TXID: a capture bug. The file was not
/// published; a full file replaced it. <see cref="Form"/> is "cheap" (every file) or "full" (every page, periodically).
/// </summary>
public sealed record CaptureCheckFailure(string Form, ulong Txid, string Problem);
