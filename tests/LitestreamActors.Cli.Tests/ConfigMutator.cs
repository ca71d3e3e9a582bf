using System.Text.RegularExpressions;

namespace LitestreamActors.Cli.Tests;

/// <summary>
/// Seeded mutations of the config shapes users write (both replica forms, every backend, the global sections): values
/// of the wrong type, bad durations and URLs, unknown and misspelt keys, indentation and tabs, deleted, duplicated and
/// truncated text, stray bytes and brackets, unset variables. Kinds that no reading can accept are marked MustFail.
/// </summary>
public sealed partial class ConfigMutator(int seed, string directory)
{
    public const string Secret = "s3cr3t-fuzz-value";

    private static readonly string[] WrongValues = ["banana", "-1", "[1, 2]", "{a: b}", "''", "1e999", "99999999999999999999", "10", "1x", "-5s", "true", "null", "~", "\"open"];
    private static readonly string[] BadUrls = ["foo://x", "s3://", "file://", "nats://:99999/b", "http://%zz", "sftp://host/p?key-path=", "::::", "abs://", "gs:///"];
    private static readonly string[] Strays = ["\t", "\0", "\u00e9", "\ud83d\ude00", "\r", "#", ":", "- ", "&a", "*a", "!!binary ", "%", "@", "`", "|", ">"];
    private static readonly string[] DurationKeys = ["monitor-interval", "sync-interval", "interval", "retention", "checkpoint-interval", "l0-retention"];

    private readonly Random _random = new(seed);

    private string[] Bases => [
        $"dbs:\n  - path: {directory}/app.db\n    monitor-interval: 1s\n    replica:\n      url: file://{directory}/replica\n      sync-interval: 1s\n",
        $"dbs:\n  - path: {directory}/a.db\n    replicas:\n      - type: s3\n        bucket: my-bucket\n        path: app\n        region: us-east-1\n"
            + $"        endpoint: http://127.0.0.1:9000\n        force-path-style: true\n        secret-access-key: {Secret}\n      - type: file\n        path: {directory}/backup\n",
        "addr: \"127.0.0.1:9090\"\nmcp-addr: \"127.0.0.1:3001\"\nlevels:\n  - interval: 5m\n  - interval: 1h\nsnapshot:\n  interval: 24h\n  retention: 168h\n"
            + $"l0-retention: 5m\nlogging:\n  level: info\n  type: text\ndbs:\n  - path: {directory}/b.db\n    checkpoint-interval: 1m\n    min-checkpoint-page-count: 1000\n"
            + $"    replica:\n      type: nats\n      url: nats://127.0.0.1:4222/bucket\n      username: u\n      password: {Secret}\n",
        $"dbs:\n  - path: {directory}/c.db\n    replica:\n      url: sftp://user@127.0.0.1:22/srv/app?insecure-ignore-host-key=true\n"
            + $"  - path: {directory}/d.db\n    replica:\n      type: abs\n      account-name: acct\n      account-key: {Secret}\n      bucket: container\n      path: x\n"
            + $"  - path: {directory}/e.db\n    replica:\n      url: gs://bucket/e\n      retention: 24h\n",
    ];

    public ConfigMutation Next()
    {
        var text = Bases[_random.Next(Bases.Length)];
        var lines = text.TrimEnd('\n').Split('\n').ToList();
        var keyed = lines.Select((line, i) => (line, i)).Where(l => KeyValue().IsMatch(l.line)).Select(l => l.i).ToList();
        var at = keyed[_random.Next(keyed.Count)];
        var match = KeyValue().Match(lines[at]);
        var (indent, key) = (match.Groups[1].Value, match.Groups[2].Value);
        switch (_random.Next(13))
        {
            case 0:
                var wrong = Pick(WrongValues);
                lines[at] = $"{indent}{key}: {wrong}";
                return Done(lines, "wrong value", DurationKeys.Contains(key.TrimStart('-', ' ')) && wrong is "banana" or "1x" or "true" or "[1, 2]" or "{a: b}");
            case 1:
                var durations = keyed.Where(i => DurationKeys.Contains(KeyValue().Match(lines[i]).Groups[2].Value.TrimStart('-', ' '))).ToList();
                if (durations.Count == 0)
                {
                    goto case 0;
                }
                var d = durations[_random.Next(durations.Count)];
                var dm = KeyValue().Match(lines[d]);
                lines[d] = $"{dm.Groups[1].Value}{dm.Groups[2].Value}: {Pick(["banana", "1x", "5 minutes", "s5"])}";
                return Done(lines, "bad duration", true);
            case 2:
                lines.Insert(at, $"{indent.Replace("- ", "  ", StringComparison.Ordinal)}zz-unknown-{_random.Next(1000)}: 1");
                return Done(lines, "unknown key", true);
            case 3:
                var bare = key.TrimStart('-', ' ');
                var pos = _random.Next(bare.Length - 1);
                if (bare[pos] == bare[pos + 1])
                {
                    goto case 2;
                }
                var swapped = string.Concat(bare.AsSpan(0, pos), bare[pos + 1].ToString(), bare[pos].ToString(), bare.AsSpan(pos + 2));
                lines[at] = $"{indent}{key.Replace(bare, swapped, StringComparison.Ordinal)}: {match.Groups[3].Value}";
                return Done(lines, "misspelt key", true);
            case 4:
                var shift = _random.Next(1, 4) * (_random.Next(2) == 0 ? 1 : -1);
                var line = _random.Next(lines.Count);
                lines[line] = shift > 0 ? new string(' ', shift) + lines[line] : lines[line][Math.Min(-shift, lines[line].Length - lines[line].TrimStart(' ').Length)..];
                return Done(lines, "indentation", false);
            case 5:
                var indented = lines.Select((l, i) => (l, i)).Where(l => l.l.StartsWith("  ", StringComparison.Ordinal)).Select(l => l.i).ToList();
                var t = indented[_random.Next(indented.Count)];
                lines[t] = "\t" + lines[t].TrimStart(' ');
                return Done(lines, "tab", true);
            case 6:
                var urls = lines.Select((l, i) => (l, i)).Where(l => l.l.TrimStart().StartsWith("url: ", StringComparison.Ordinal)).Select(l => l.i).ToList();
                if (urls.Count == 0)
                {
                    goto case 0;
                }
                var u = urls[_random.Next(urls.Count)];
                var bad = Pick(BadUrls);
                lines[u] = lines[u][..lines[u].IndexOf("url: ", StringComparison.Ordinal)] + "url: " + bad;
                return Done(lines, "bad url", bad == "foo://x");
            case 7:
                var all = string.Join('\n', lines);
                var start = _random.Next(all.Length);
                return Done(all.Remove(start, Math.Min(_random.Next(1, 11), all.Length - start)), "deleted characters", false);
            case 8:
                var dup = _random.Next(lines.Count);
                lines.Insert(dup, lines[dup]);
                return Done(lines, "duplicated line", false);
            case 9:
                var whole = string.Join('\n', lines);
                return Done(whole[.._random.Next(whole.Length)], "truncated", false);
            case 10:
                var joined = string.Join('\n', lines);
                return Done(joined.Insert(_random.Next(joined.Length), Pick(Strays)), "stray character", false);
            case 11:
                var textWithBracket = string.Join('\n', lines);
                return Done(textWithBracket.Insert(_random.Next(textWithBracket.Length), Pick(["[", "{", "\"", "'", "]", "}"])), "bracket or quote", false);
            default:
                lines[at] = $"{indent}{key}: ${{LSA_FUZZ_UNSET_{_random.Next(1000)}}}";
                return Done(lines, "unset variable", false);
        }
    }

    private string Pick(string[] values) => values[_random.Next(values.Length)];

    private static ConfigMutation Done(List<string> lines, string kind, bool mustFail) => Done(string.Join('\n', lines) + "\n", kind, mustFail);

    private static ConfigMutation Done(string text, string kind, bool mustFail) => new(text, kind, mustFail);

    // indentation (with any "- " of a list item), key, value
    [GeneratedRegex(@"^(\s*(?:- )?)([a-z0-9-]+): (.+)$")]
    private static partial Regex KeyValue();
}
