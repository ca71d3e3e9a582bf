using System.Text;

namespace LitestreamActors.Benchmarks;

/// <summary>Pages that compress like real table pages (words, ids, some random bytes), reproducibly.</summary>
internal static class BenchmarkPages
{
    public const int PageSize = 4096;

    public static byte[][] Make(int count, int seed)
    {
        var random = new Random(seed);
        var words = new[] { "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet" };
        var pages = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            var text = new StringBuilder();
            while (text.Length < PageSize)
            {
                text.Append(words[random.Next(words.Length)]).Append(' ').Append(random.Next(100000)).Append(' ');
            }
            pages[i] = Encoding.ASCII.GetBytes(text.ToString(0, PageSize));
            random.NextBytes(pages[i].AsSpan(0, 512));
        }
        return pages;
    }
}
