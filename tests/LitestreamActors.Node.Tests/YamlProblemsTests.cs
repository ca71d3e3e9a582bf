using LitestreamActors.Node.Configuration;

namespace LitestreamActors.Node.Tests;

/// <summary>A config that is not well-formed YAML is explained in our words, on the line where the problem is.</summary>
public sealed class YamlProblemsTests
{
    [Fact]
    public void An_over_indented_key_is_named_on_its_line()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("dbs:\n  - path: /a.db\n      replica:\n      path: /r\n", "c.yml"));
        Assert.Equal("c.yml: line 3: a key where none can be: line its indentation up with the keys above it (or quote a value that contains \": \")", e.Message);
    }

    [Fact]
    public void A_tab_is_reported_on_its_own_line()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("dbs:\n  - path: /a.db\n\treplica:\n      path: /r\n", "c.yml"));
        Assert.Equal("c.yml: line 3: a tab in the indentation: YAML indents with spaces only", e.Message);
        Assert.Null(YamlProblems.TabIndentation("dbs:\n  - path: \"/a\tb.db\"\n"));
    }

    [Fact]
    public void A_key_outside_its_list_item_is_explained()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("dbs:\n  - path: /a.db\n    replica:\n      path: /r\n  monitor-interval: 1s\n", "c.yml"));
        Assert.Equal("c.yml: line 5: this line does not fit the list above it: list items start with \"- \" in one column, and an item's keys line up under its first", e.Message);
    }

    [Fact]
    public void Parser_messages_without_a_known_cause_still_read_as_one_line_of_ours()
    {
        Assert.Equal("not well-formed YAML (Something odd happened)", YamlProblems.Explain("Something odd happened.\nmore detail"));
        Assert.Equal("the file ends inside a quoted value or a bracket: close it", YamlProblems.Explain("While scanning a quoted scalar, found unexpected end of stream."));
    }

    [Fact]
    public void A_config_path_that_is_a_folder_says_so()
    {
        var folder = Path.Combine(Path.GetTempPath(), "lsa-config-folder-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile(folder, expandEnvironment: false));
            Assert.Equal($"config file {folder} is a directory", e.Message);
        }
        finally
        {
            Directory.Delete(folder);
        }
    }
}
