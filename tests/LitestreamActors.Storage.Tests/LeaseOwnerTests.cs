using LitestreamActors.Storage.Replica.Lease;

namespace LitestreamActors.Storage.Tests;

public sealed class LeaseOwnerTests
{
    [Fact]
    public void Only_a_process_gone_from_this_machine_is_not_waited_for()
    {
        var host = Environment.MachineName;
        using var live = System.Diagnostics.Process.Start("sleep", "30");
        using var gone = System.Diagnostics.Process.Start("true");
        gone.WaitForExit();

        Assert.True(LeaseOwner.IsGoneFromThisMachine($"{host}:{gone.Id}:0123abcd"));
        Assert.False(LeaseOwner.IsGoneFromThisMachine($"{host}:{live.Id}:0123abcd"));
        Assert.False(LeaseOwner.IsGoneFromThisMachine($"another-{host}:{gone.Id}:0123abcd"));
        Assert.False(LeaseOwner.IsGoneFromThisMachine($"{host}:{Environment.ProcessId}:0123abcd"));
        Assert.False(LeaseOwner.IsGoneFromThisMachine("unreadable lock.json"));
        Assert.StartsWith(host + ":" + Environment.ProcessId + ":", LeaseOwner.ThisProcess, StringComparison.Ordinal);
        live.Kill();
    }
}
