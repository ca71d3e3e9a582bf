namespace LitestreamActors.Cli.Output;

/// <summary>Aligned columns as Go's tabwriter prints them for upstream (padding 2, spaces, last column unpadded).</summary>
internal sealed class TableWriter(params string[] headers)
{
    private readonly List<string[]> _rows = [headers];

    public void Add(params string[] cells) => _rows.Add(cells);

    public void WriteTo(TextWriter writer)
    {
        var widths = new int[headers.Length];
        foreach (var row in _rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }
        foreach (var row in _rows)
        {
            var cells = row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i] + 2));
            writer.WriteLine(string.Concat(cells));
        }
    }
}
