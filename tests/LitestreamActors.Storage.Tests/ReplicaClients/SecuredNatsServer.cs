using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LitestreamActors.TestSupport;
using NATS.NKeys;

namespace LitestreamActors.Storage.Tests.ReplicaClients;

/// <summary>
/// A real nats-server (Debian) with JetStream that requires TLS with client certificates and an NKey user, all made
/// here: a CA, server and client certificates, and the user's seed file.
/// </summary>
public sealed class SecuredNatsServer : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Process _process;

    public SecuredNatsServer()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=lsa test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(CaFile, ca.ExportCertificatePem());
        Issue(ca, "server", server: true);
        Issue(ca, "client", server: false);

        var user = KeyPair.CreatePair(PrefixByte.User);
        File.WriteAllText(SeedFile, user.GetSeed());
        Port = FreeTcpPort.Next();
        var config = _dir.File("nats.conf");
        File.WriteAllText(config, $$"""
            listen: 127.0.0.1:{{Port}}
            jetstream { store_dir: "{{_dir.File("js")}}" }
            tls { cert_file: "{{CertFile("server")}}", key_file: "{{KeyFile("server")}}", ca_file: "{{CaFile}}", verify: true }
            authorization { users: [ { nkey: {{user.GetPublicKey()}} } ] }
            """);
        _process = Process.Start(new ProcessStartInfo("/usr/sbin/nats-server", ["-c", config])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        }) ?? throw new InvalidOperationException("cannot start nats-server");
        Eventually.True(Listening, TimeSpan.FromSeconds(30), () => "nats-server with TLS did not start");
    }

    public int Port { get; }

    public string CaFile => _dir.File("ca.pem");

    public string SeedFile => _dir.File("user.nk");

    public string CertFile(string name) => _dir.File(name + "-cert.pem");

    public string KeyFile(string name) => _dir.File(name + "-key.pem");

    public void Dispose()
    {
        _process.Kill();
        _process.WaitForExit();
        _process.Dispose();
        _dir.Dispose();
    }

    private void Issue(X509Certificate2 ca, string name, bool server)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=lsa {name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
        }
        using var certificate = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), RandomNumberGenerator.GetBytes(8));
        File.WriteAllText(CertFile(name), certificate.ExportCertificatePem());
        File.WriteAllText(KeyFile(name), key.ExportPkcs8PrivateKeyPem());
    }

    private bool Listening()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
