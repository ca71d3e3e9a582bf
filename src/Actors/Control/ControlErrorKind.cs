namespace LitestreamActors.Actors.Control;

/// <summary>Why a control request was refused; the HTTP API maps each to a status code.</summary>
public enum ControlErrorKind
{
    NotFound,
    Conflict,
    Invalid,
    Timeout,

    /// <summary>Another node or the replica could not be reached.</summary>
    Unavailable,
}
