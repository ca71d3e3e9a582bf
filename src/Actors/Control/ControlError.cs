namespace LitestreamActors.Actors.Control;

/// <summary>A refused control request, with one line saying why.</summary>
public sealed record ControlError(ControlErrorKind Kind, string Message);
