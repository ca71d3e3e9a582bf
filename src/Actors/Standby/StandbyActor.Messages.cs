namespace LitestreamActors.Actors.Standby;

// The standby's messages: its status, promotion and the poll.
public sealed partial class StandbyActor
{
    /// <summary>Replies the standby's <see cref="Status.DatabaseStatus"/> (state following or restoring).</summary>
    public sealed record GetStatus;

    /// <summary>Apply the last files and stop following; replies <see cref="Promoted"/> or a <see cref="Control.ControlError"/>.</summary>
    public sealed record Promote;

    /// <summary>The path is a database of its own at <see cref="Txid"/>: replicate it from the next TXID on.</summary>
    public sealed record Promoted(string Path, ulong Txid);

    private sealed record Poll;
}
