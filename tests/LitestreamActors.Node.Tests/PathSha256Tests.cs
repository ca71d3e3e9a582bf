using System.Security.Cryptography;
using System.Text;
using LitestreamActors.Node.Configuration;

namespace LitestreamActors.Node.Tests;

public sealed class PathSha256Tests
{
    [Fact]
    public void Every_length_across_the_block_and_padding_boundaries_hashes_as_the_platform_does()
    {
        var random = new Random(7);
        for (var length = 0; length <= 300; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(SHA256.HashData(data), PathSha256.Hash(data));
        }
    }

    [Fact]
    public void The_known_answers_of_the_standard_hold()
    {
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Convert.ToHexStringLower(PathSha256.Hash([])));
        Assert.Equal(
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
            Convert.ToHexStringLower(PathSha256.Hash(Encoding.ASCII.GetBytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))));
    }

    [Fact]
    public void A_config_files_key_is_the_first_16_hex_digits_of_its_absolute_paths_digest()
    {
        const string path = "/etc/litestream.yml";
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(path)))[..16], ConfigFileKey.Of(path));
    }
}
