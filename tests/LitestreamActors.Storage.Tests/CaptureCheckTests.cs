using System.Buffers.Binary;
using LitestreamActors.Storage.Capture;

namespace LitestreamActors.Storage.Tests;

/// <summary>The rules every L0 file passes before it is published, one by one.</summary>
public sealed class CaptureCheckTests
{
    private static readonly SqliteView Sqlite = new(PageCount: 20, FreelistCount: 2, SchemaVersion: 7, UserVersion: 3, ApplicationId: 9);

    [Fact]
    public void A_file_that_agrees_with_sqlite_passes()
    {
        Assert.Null(CaptureCheck.Problem(20, 20, Page1(), page1InFile: false, Sqlite));
        Assert.Null(CaptureCheck.Problem(20, 10, Page1(), page1InFile: true, Sqlite));
        Assert.Null(CaptureCheck.Problem(20, null, Page1(), page1InFile: true, Sqlite));
        Assert.Null(CaptureCheck.Problem(20, 20, [], page1InFile: false, Sqlite));
    }

    [Fact]
    public void A_size_other_than_sqlites_fails()
    {
        Assert.Equal("the file's database size is 19 pages, SQLite's 20", CaptureCheck.Problem(19, 19, [], false, Sqlite));
    }

    [Fact]
    public void A_size_change_without_page_1_fails()
    {
        Assert.Equal("the database size changed from 10 to 20 pages but the file does not carry page 1", CaptureCheck.Problem(20, 10, Page1(), false, Sqlite));
    }

    [Fact]
    public void Each_page_1_field_sqlite_reports_is_compared()
    {
        Assert.Equal("page 1 gives the database size as 15 pages, SQLite 20", CaptureCheck.Problem(20, 20, Page1(size: 15), true, Sqlite));
        Assert.Equal("page 1 gives the freelist page count as 0, SQLite 2", CaptureCheck.Problem(20, 20, Page1(freelist: 0), true, Sqlite));
        Assert.Equal("page 1 gives the schema cookie as 6, SQLite 7", CaptureCheck.Problem(20, 20, Page1(schema: 6), true, Sqlite));
        Assert.Equal("page 1 gives the user version as 0, SQLite 3", CaptureCheck.Problem(20, 20, Page1(user: 0), true, Sqlite));
        Assert.Equal("page 1 gives the application id as 1, SQLite 9", CaptureCheck.Problem(20, 20, Page1(application: 1), true, Sqlite));
    }

    [Fact]
    public void The_in_header_size_counts_only_while_sqlite_would_trust_it()
    {
        var stale = Page1(size: 15);
        BinaryPrimitives.WriteUInt32BigEndian(stale.AsSpan(92), 4);
        Assert.Null(CaptureCheck.Problem(20, 20, stale, true, Sqlite));
    }

    private static byte[] Page1(uint size = 20, uint freelist = 2, uint schema = 7, uint user = 3, uint application = 9)
    {
        var page = new byte[4096];
        BinaryPrimitives.WriteUInt32BigEndian(page.AsSpan(24), 5);
        BinaryPrimitives.WriteUInt32BigEndian(page.AsSpan(28), size);
        BinaryPrimitives.WriteUInt32BigEndian(page.AsSpan(36), freelist);
        BinaryPrimitives.WriteUInt32BigEndian(page.AsSpan(40), schema);
        BinaryPrimitives.WriteUInt32BigEndian(page.AsSpan(60), user);
        BinaryPrimitives.WriteUInt32BigEndian(page.AsSpan(68), application);
        BinaryPrimitives.WriteUInt32BigEndian(page.AsSpan(92), 5);
        return page;
    }
}
