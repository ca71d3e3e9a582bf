using LitestreamActors.Storage.IO;

namespace LitestreamActors.Storage.Tests;

/// <summary>A full disk is described by its folder, the same words each time, so a failure that lasts is logged once.</summary>
public sealed class IoProblemTests
{
    [Fact]
    public void A_full_disk_names_the_folder_and_other_failures_keep_their_message()
    {
        Assert.Equal("no space left on device in /data/.app.db-litestream",
            IoProblem.Describe(new IOException("No space left on device : '/data/.app.db-litestream/ltx/0/x.ltx.tmp'", 28), "/data/.app.db-litestream"));
        Assert.Equal("disk quota exceeded in /d", IoProblem.Describe(new IOException("Disk quota exceeded", 122), "/d"));
        Assert.Equal("Permission denied", IoProblem.Describe(new UnauthorizedAccessException("Permission denied"), "/d"));
    }
}
