using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Pipeline.Testing;

namespace Pipeline.Deploy.Tests.Support;

/// <summary>
/// A TLS-terminating forward in front of a unix socket, as a remote Docker/Podman host with <c>--tlsverify</c> presents
/// itself: <c>socat OPENSSL-LISTEN</c> on a free loopback port, requiring a client certificate signed by its CA. The
/// certificates are made here (ECDSA P-256): a CA, the server's (SAN 127.0.0.1) and a client's, written as
/// <c>ca.pem</c>/<c>cert.pem</c>/<c>key.pem</c> in <see cref="ClientDirectory"/> (Docker's DOCKER_CERT_PATH layout).
/// Dispose stops socat and deletes the files.
/// </summary>
public sealed class TlsForward : IDisposable
{
    private readonly Process _socat;

    private TlsForward(string directory, int port, Process socat)
    {
        Directory = directory;
        Port = port;
        _socat = socat;
    }

    public string Directory { get; }

    public int Port { get; }

    /// <summary>ca.pem, cert.pem, key.pem of a client the forward accepts.</summary>
    public string ClientDirectory => Path.Combine(Directory, "client");

    public Uri Endpoint => new($"tcp://127.0.0.1:{Port}");

    public static async Task<TlsForward> StartAsync(string unixSocket)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("pipeline-tls-forward-").FullName;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var ca = SelfSignedAuthority(caKey, "CN=pipeline test CA");
        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var server = Issue(ca, caKey, serverKey, "CN=127.0.0.1", serverAuth: true);
        File.WriteAllText(Path.Combine(directory, "ca.pem"), ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "server.pem"), server.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "server.key"), serverKey.ExportPkcs8PrivateKeyPem());
        WriteClient(Path.Combine(directory, "client"), ca, caKey);

        var port = FreePort.Next();
        var start = new ProcessStartInfo("socat")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (
            var argument in new[]
            {
                $"OPENSSL-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork,cert={directory}/s"
                    + $"erver.pem,key={directory}/server.key,cafile={directory}/ca.pem,verify=1",
                $"UNIX-CONNECT:{unixSocket}",
            }
        )
        {
            start.ArgumentList.Add(argument);
        }

        var socat = Process.Start(start)!;
        socat.OutputDataReceived += (_, _) => { };
        socat.ErrorDataReceived += (_, _) => { };
        socat.BeginOutputReadLine();
        socat.BeginErrorReadLine();
        var forward = new TlsForward(directory, port, socat);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await ListensAsync(port))
        {
            if (socat.HasExited || DateTime.UtcNow > deadline)
            {
                forward.Dispose();
                throw new InvalidOperationException($"socat did not listen on 127.0.0.1:{port}");
            }

            await Task.Delay(50);
        }

        return forward;
    }

    /// <summary>A client of another CA: the forward must refuse it.</summary>
    public string StrangerDirectory()
    {
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = SelfSignedAuthority(otherKey, "CN=another CA");
        var path = Path.Combine(Directory, "stranger");
        WriteClient(path, other, otherKey);
        // trusts the server, is not trusted by it
        File.Copy(Path.Combine(Directory, "ca.pem"), Path.Combine(path, "ca.pem"), overwrite: true);
        return path;
    }

    public void Dispose()
    {
        if (!_socat.HasExited)
            _socat.Kill(entireProcessTree: true);
        _socat.WaitForExit(5000);
        _socat.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static void WriteClient(string path, X509Certificate2 ca, ECDsa caKey)
    {
        System.IO.Directory.CreateDirectory(path);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var client = Issue(ca, caKey, key, "CN=pipeline deployer", serverAuth: false);
        File.WriteAllText(Path.Combine(path, "ca.pem"), ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(path, "cert.pem"), client.ExportCertificatePem());
        File.WriteAllText(Path.Combine(path, "key.pem"), key.ExportPkcs8PrivateKeyPem());
    }

    private static X509Certificate2 SelfSignedAuthority(ECDsa key, string name)
    {
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(
            new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true)
        );
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, ECDsa caKey, ECDsa key, string name, bool serverAuth)
    {
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(
            new X509EnhancedKeyUsageExtension([new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false)
        );
        if (serverAuth)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(System.Net.IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var issued = request.Create(
            ca.SubjectName,
            X509SignatureGenerator.CreateForECDsa(caKey),
            DateTimeOffset.UtcNow.AddMinutes(-5),
            DateTimeOffset.UtcNow.AddDays(1),
            serial
        );
        return issued.CopyWithPrivateKey(key);
    }

    private static async Task<bool> ListensAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
