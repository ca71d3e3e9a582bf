using System.Net;
using System.Text.Json;
using LitestreamActors.Node.Hosting;

namespace LitestreamActors.Node.Tests;

/// <summary>Which pods of an API server's pod list are contact points: Running, not being deleted, with an IP, Ready.</summary>
public sealed class KubernetesPodListTests
{
    [Fact]
    public void Only_running_ready_pods_with_an_address_that_are_not_being_deleted_are_contact_points()
    {
        string[] items =
        [
            Pod("10.1.0.1", "Running", "True"),
            Pod("10.1.0.2", "Running", "False"),
            Pod("10.1.0.3", "Pending", "True"),
            Pod(null, "Running", "True"),
            Pod("10.1.0.5", "Running", "True", deleting: true),
            """{"metadata":{"name":"no-status"}}""",
            Pod("fd00::6", "Running", "True"),
        ];
        var json = $$"""{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"7"},"items":[{{string.Join(",", items)}}]}""";
        using var document = JsonDocument.Parse(json);

        var (ready, pods) = KubernetesPodList.ContactPoints(document.RootElement);

        Assert.Equal(7, pods);
        Assert.Equal([IPAddress.Parse("10.1.0.1"), IPAddress.Parse("fd00::6")], ready);
    }

    [Theory]
    [InlineData("""{"kind":"PodList","items":[]}""")]
    [InlineData("""{"kind":"PodList","items":null}""")]
    [InlineData("""{"kind":"Status","status":"Failure"}""")]
    [InlineData("""[]""")]
    public void A_list_without_pods_has_no_contact_points(string json)
    {
        using var document = JsonDocument.Parse(json);

        var (ready, pods) = KubernetesPodList.ContactPoints(document.RootElement);

        Assert.Empty(ready);
        Assert.Equal(0, pods);
    }

    [Fact]
    public void A_field_of_another_type_does_not_make_a_contact_point()
    {
        using var document = JsonDocument.Parse("""{"items":[{"status":{"phase":"Running","podIP":10,"conditions":[{"type":"Ready","status":true}]}}]}""");

        Assert.Empty(KubernetesPodList.ContactPoints(document.RootElement).Ready);
    }

    private static string Pod(string? ip, string phase, string ready, bool deleting = false) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["metadata"] = deleting ? new Dictionary<string, object?> { ["name"] = "p", ["deletionTimestamp"] = "2026-12-05T10:00:00Z" } : new Dictionary<string, object?> { ["name"] = "p" },
            ["status"] = new Dictionary<string, object?>
            {
                ["phase"] = phase,
                ["podIP"] = ip,
                ["conditions"] = new[] { new Dictionary<string, string> { ["type"] = "Ready", ["status"] = ready } },
            },
        });
}
