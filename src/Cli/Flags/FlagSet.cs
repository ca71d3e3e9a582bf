namespace LitestreamActors.Cli.Flags;

/// <summary>
/// Command-line flags the way Go's flag package reads them, as upstream's users type them: one or two dashes,
/// <c>-name value</c> or <c>-name=value</c>, booleans without a value, parsing stops at the first non-flag or <c>--</c>.
/// </summary>
public sealed class FlagSet(string command)
{
    private readonly Dictionary<string, Flag> _flags = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Arguments { get; private set; } = [];

    public Func<string> String(string name, string defaultValue = "")
    {
        var flag = Add(name, isBool: false, defaultValue);
        return () => flag.Value!;
    }

    public Func<string?> OptionalString(string name)
    {
        var flag = Add(name, isBool: false, null);
        return () => flag.Value;
    }

    public Func<bool> Bool(string name)
    {
        var flag = Add(name, isBool: true, "false");
        return () => flag.Value == "true";
    }

    /// <summary>Parses and returns the one argument the command takes: a database path or a replica URL.</summary>
    public string ParseDatabaseOrReplica(IReadOnlyList<string> args)
    {
        Parse(args);
        return Arguments.Count switch
        {
            0 => throw new UsageException("database path or replica URL required"),
            > 1 => throw new UsageException("too many arguments"),
            _ when Arguments[0].Length == 0 => throw new UsageException("database path or replica URL required"),
            _ => Arguments[0],
        };
    }

    public void Parse(IReadOnlyList<string> args)
    {
        var i = 0;
        var terminated = false;
        for (; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                i++;
                terminated = true;
                break;
            }
            if (arg.Length < 2 || arg[0] != '-')
            {
                break;
            }
            var name = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..] : arg[1..];
            string? value = null;
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }
            if (name is "h" or "help")
            {
                throw new HelpRequestedException();
            }
            if (name.Length == 0 || name[0] == '-' || !_flags.TryGetValue(name, out var flag))
            {
                throw new UsageException($"flag provided but not defined: -{name}");
            }
            if (flag.IsBool)
            {
                value ??= "true";
                if (!bool.TryParse(value, out var parsed))
                {
                    throw new UsageException($"invalid boolean value \"{value}\" for -{name}");
                }
                flag.Value = parsed ? "true" : "false";
                continue;
            }
            if (value is null)
            {
                if (i + 1 >= args.Count)
                {
                    throw new UsageException($"flag needs an argument: -{name}");
                }
                value = args[++i];
            }
            flag.Value = value;
        }
        Arguments = args.Skip(i).ToArray();
        var misplaced = terminated ? null : Arguments.FirstOrDefault(a => a.Length > 1 && a[0] == '-' && _flags.ContainsKey(a.TrimStart('-').Split('=')[0]));
        if (misplaced is not null)
        {
            throw new UsageException($"flag {misplaced} must come before the {command} arguments");
        }
    }

    private Flag Add(string name, bool isBool, string? defaultValue)
    {
        var flag = new Flag(isBool) { Value = defaultValue };
        _flags.Add(name, flag);
        return flag;
    }

    private sealed class Flag(bool isBool)
    {
        public bool IsBool { get; } = isBool;

        public string? Value { get; set; }
    }
}
