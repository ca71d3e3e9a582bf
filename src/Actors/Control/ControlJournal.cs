namespace LitestreamActors.Actors.Control;

/// <summary>
/// The node journals control events; <see cref="HasEvents"/>: it holds some already, so start waits to read them.
/// <see cref="PluginId"/>: the path of the journal plugin's settings.
/// </summary>
public sealed record ControlJournal(bool HasEvents, string PluginId);
