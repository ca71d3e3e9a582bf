namespace LitestreamActors.Actors.Events;

/// <summary>
/// Published on the event stream when an L0 file disagreed with the database as SQLite shows it (a capture bug): the
/// file was not published and a full one replaced it. <see cref="Form"/> is "cheap" or "full".
/// </summary>
public sealed record CaptureCheckFailed(string Path, string Form, ulong Txid, string Problem);
