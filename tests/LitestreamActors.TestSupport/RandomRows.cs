using System.Text;

namespace LitestreamActors.TestSupport;

/// <summary>SQL inserting random rows: text that compresses like real data and blobs that do not.</summary>
public static class RandomRows
{
    private static readonly string[] Words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima"];

    public const string Schema = "CREATE TABLE t(id INTEGER PRIMARY KEY, tag TEXT, body BLOB);\n";

    public static string Inserts(Random random, int rows, int blobBytes = 200)
    {
        var sql = new StringBuilder();
        for (var i = 0; i < rows; i++)
        {
            var tag = string.Join(' ', Enumerable.Range(0, random.Next(1, 12)).Select(_ => Words[random.Next(Words.Length)]));
            var blob = new byte[random.Next(1, blobBytes)];
            random.NextBytes(blob);
            sql.Append("INSERT INTO t(tag, body) VALUES('").Append(tag).Append("', X'").Append(Convert.ToHexString(blob)).Append("');\n");
        }
        return sql.ToString();
    }
}
