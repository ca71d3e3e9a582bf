using LitestreamActors.Actors.Control;

namespace LitestreamActors.Node.Control;

/// <summary>Why a restore against the cluster could not be made, as one line and the control API's kind of refusal.</summary>
public sealed class ClusterRestoreException(ControlErrorKind kind, string message) : Exception(message)
{
    public ControlErrorKind Kind { get; } = kind;
}
