using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Docker.DotNet.Handler.Abstractions;
using Docker.DotNet.X509;

namespace Pipeline.Containers.ContainerEngines;

/// <summary>
/// TLS with a client certificate to a <c>tcp://</c> engine, from a folder laid out like Docker's
/// <c>DOCKER_CERT_PATH</c>: <c>ca.pem</c> (the authority the engine's certificate must chain to), <c>cert.pem</c> and
/// <c>key.pem</c> (this client). Loading and the CA check are Docker.DotNet.X509's; this type only names the files and
/// says what is wrong with them.
/// </summary>
public sealed record ContainerEngineTlsFiles(string Directory)
{
    public const string CaFile = "ca.pem";
    public const string CertificateFile = "cert.pem";
    public const string KeyFile = "key.pem";

    /// <summary>Null when the folder holds a usable CA, certificate and matching key; else one line saying what is
    /// not.</summary>
    public static string? Check(string directory)
    {
        if (!Path.IsPathRooted(directory))
            return $"'{directory}' is not an absolute path (a folder holding "
                + $"{CaFile}, {CertificateFile} and {KeyFile}, as DOCKER_CERT_PATH)";
        if (!System.IO.Directory.Exists(directory))
            return $"{directory} is not a folder (it must hold {CaFile}, "
                + $"{CertificateFile} and {KeyFile}, as DOCKER_CERT_PATH)";
        var missing = new[] { CaFile, CertificateFile, KeyFile }
            .Where(f => !File.Exists(Path.Combine(directory, f)))
            .ToList();
        if (missing.Count > 0)
            return $"{string.Join(", ", missing)} missing in {directory} (TLS "
                + $"to the host needs {CaFile}, {CertificateFile} and {KeyFile})";
        try
        {
            using var loaded = new ContainerEngineTlsFiles(directory).Load();
            return loaded.Client.HasPrivateKey
                ? null
                : $"{CertificateFile} and {KeyFile} in {directory} do not form a certificate with its private key";
        }
        catch (Exception e)
            when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            return $"cannot load the TLS files in {directory}: {e.Message.Split('\n')[0].Trim().TrimEnd('.')}";
        }
    }

    internal LoadedTls Load()
    {
        var ca = DockerTlsCertificates.LoadCertificateAuthorityFromPemFile(Path.Combine(Directory, CaFile));
        try
        {
            return new LoadedTls(
                DockerTlsCertificates.LoadCertificateFromPemFiles(
                    Path.Combine(Directory, CertificateFile),
                    Path.Combine(Directory, KeyFile)
                ),
                ca
            );
        }
        catch
        {
            ca.Dispose();
            throw;
        }
    }

    /// <summary>The loaded pair, for both clients of one engine: Docker.DotNet's and <see
    /// cref="ContainerEngineHttp"/>.</summary>
    internal sealed record LoadedTls(X509Certificate2 Client, X509Certificate2 Authority) : IDisposable
    {
        public IAuthProvider Credentials() => new DockerTlsCertificates(Client, Authority).CreateCredentials();

        public RemoteCertificateValidationCallback Validation() =>
            DockerTlsCertificates.CreateCertificateAuthorityValidationCallback(Authority);

        public void Dispose()
        {
            Client.Dispose();
            Authority.Dispose();
        }
    }
}
