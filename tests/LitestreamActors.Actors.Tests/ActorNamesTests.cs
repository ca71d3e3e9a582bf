using LitestreamActors.Actors.Supervision;

namespace LitestreamActors.Actors.Tests;

public sealed class ActorNamesTests
{
    [Fact]
    public void Names_from_user_text_are_escaped_one_to_one()
    {
        Assert.Equal("file-2", ActorNames.Escape("file-2"));
        Assert.Equal("a~20b", ActorNames.Escape("a b"));
        Assert.Equal("a_b", ActorNames.Escape("a_b"));
        Assert.Equal("~7e", ActorNames.Escape("~"));
        Assert.Equal("~2f~2e~2e", ActorNames.Escape("/.."));
        Assert.Equal("~c3~a9", ActorNames.Escape("é"));
        string[] names = ["a b", "a_b", "a-b", "a~20b", "a/b", "a.b", "A b", "é", "e"];
        Assert.Equal(names.Length, names.Select(ActorNames.Escape).Distinct(StringComparer.Ordinal).Count());
        Assert.All(names.Select(ActorNames.Escape), n => Assert.True(Akka.Actor.ActorPath.IsValidPathElement(n), n));
    }
}
