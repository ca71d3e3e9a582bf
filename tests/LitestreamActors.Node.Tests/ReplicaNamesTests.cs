using LitestreamActors.Node.Configuration;

namespace LitestreamActors.Node.Tests;

public sealed class ReplicaNamesTests
{
    [Fact]
    public void Unnamed_replicas_take_their_type_then_a_numbered_suffix()
    {
        var (names, conflict) = ReplicaNames.Assign([new(null, "s3", 3), new(null, "s3", 4), new(null, "file", 5), new(null, "s3", 7)]);
        Assert.Null(conflict);
        Assert.Equal(["s3", "s3-2", "file", "s3-3"], names);
    }

    [Fact]
    public void Explicit_names_stay_and_defaults_skip_them()
    {
        var (names, _) = ReplicaNames.Assign([new(null, "file", 3), new("file-2", "s3", 4), new(null, "file", 5)]);
        Assert.Equal(["file", "file-2", "file-3"], names);
    }

    [Fact]
    public void Two_explicit_names_alike_are_a_conflict_naming_both_lines()
    {
        var (names, conflict) = ReplicaNames.Assign([new("backup", "s3", 3), new(null, "file", 6), new("backup", "file", 9)]);
        Assert.Null(names);
        Assert.Equal(new ReplicaNames.Conflict("backup", 3, 9), conflict);
    }
}
