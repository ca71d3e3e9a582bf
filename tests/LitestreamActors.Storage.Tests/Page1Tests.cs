using LitestreamActors.Storage.Capture;

namespace LitestreamActors.Storage.Tests;

public sealed class Page1Tests
{
    [Fact]
    public void Only_the_header_bytes_a_backup_rewrites_may_differ()
    {
        var ours = Enumerable.Range(0, 4096).Select(i => (byte)i).ToArray();
        var backup = ours.ToArray();
        foreach (var offset in new[] { 24, 27, 40, 43, 92, 99 })
        {
            backup[offset] ^= 0xff;
        }
        Assert.True(Page1.EqualButBackupFields(ours, backup));
        foreach (var offset in new[] { 0, 23, 28, 36, 44, 91, 100, 4095 })
        {
            var other = backup.ToArray();
            other[offset] ^= 0x01;
            Assert.False(Page1.EqualButBackupFields(ours, other), $"a difference at byte {offset} must count");
        }
        Assert.False(Page1.EqualButBackupFields(ours, ours.AsSpan(0, 1024)));
    }
}
