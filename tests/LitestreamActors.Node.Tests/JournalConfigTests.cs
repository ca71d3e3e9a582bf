using LitestreamActors.Node.Hosting;

namespace LitestreamActors.Node.Tests;

public sealed class JournalConfigTests
{
    [Fact]
    public void The_journal_plugin_is_named_as_the_plugins_own_defaults_name_it()
    {
        var defaults = Akka.Persistence.Sql.SqlPersistence.DefaultConfiguration.GetConfig("akka.persistence.journal.sql");
        Assert.Equal(LocalNodeRuntime.JournalClass, defaults.GetString("class"));
        Assert.Equal(LocalNodeRuntime.JournalDispatcher, defaults.GetString("plugin-dispatcher"));
    }

    [Fact]
    public void The_journal_settings_name_the_plugin_and_the_nodes_own_file()
    {
        var journal = LocalNodeRuntime.JournalConfig("/var/lib/litestream/control.db").GetConfig("litestream.control-journal");
        Assert.Equal(LocalNodeRuntime.JournalClass, journal.GetString("class"));
        Assert.Equal("Data Source=/var/lib/litestream/control.db", journal.GetString("connection-string"));
        Assert.True(journal.GetBoolean("auto-initialize"));
    }
}
