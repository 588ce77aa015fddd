using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Aero.Actors.Configuration;
using Akka.Actor;
using Akka.Configuration;
using Akka.Remote.Transport.DotNetty;

namespace Aero.Node.Configuration;

/// <summary>
/// TLS for Akka remoting between the nodes: <c>aero.cluster.tls</c> (see hocon/aero.conf). Every node presents the same
/// certificate (a PKCS#12 file, on GKE mounted from a Secret) and accepts a peer only if it presents that certificate too,
/// so the link is encrypted both ways and only holders of the Secret's private key can join the cluster.
/// </summary>
public sealed record RemotingTlsSettings(bool Enabled, string CertificatePath, string CertificatePassword)
{
    public static RemotingTlsSettings Create(ActorSystem system) => Create(system.Settings.Config);

    public static RemotingTlsSettings Create(Config config) => new RemotingTlsSettings(
        SettingsKeys.Flag(config, "aero.cluster.tls.enabled"),
        SettingsKeys.Text(config, "aero.cluster.tls.certificate-path"),
        SettingsKeys.Text(config, "aero.cluster.tls.certificate-password")).Validate();

    public RemotingTlsSettings WithEnabled(bool enabled) => (this with { Enabled = enabled }).Validate();

    public RemotingTlsSettings WithCertificatePath(string certificatePath) => (this with { CertificatePath = certificatePath }).Validate();

    public RemotingTlsSettings WithCertificatePassword(string certificatePassword) => (this with { CertificatePassword = certificatePassword }).Validate();

    /// <summary>
    /// Akka's DotNetty TLS set-up: this certificate, mutual authentication, and a peer accepted only when it presents the
    /// same certificate (pinned by thumbprint), since a private certificate has no chain a public store would trust.
    /// </summary>
    public DotNettySslSetup ToSslSetup()
    {
        if (!File.Exists(CertificatePath))
        {
            throw new ConfigurationException($"aero.cluster.tls.certificate-path = \"{CertificatePath}\": no such file.");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(CertificatePath, CertificatePassword, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException error)
        {
            // The loader's message never includes the password.
            throw new ConfigurationException($"aero.cluster.tls.certificate-path = \"{CertificatePath}\" could not be read as a PKCS#12 certificate with its password (aero.cluster.tls.certificate-password, or AERO_CLUSTER_TLS_PASSWORD): {error.Message}");
        }

        if (!certificate.HasPrivateKey)
        {
            throw new ConfigurationException($"aero.cluster.tls.certificate-path = \"{CertificatePath}\" holds no private key: a node must prove it owns the certificate it presents.");
        }

        return new DotNettySslSetup(
            certificate,
            suppressValidation: false,
            requireMutualAuthentication: true,
            CertificateValidation.PinnedCertificate(certificate.Thumbprint));
    }

    /// <summary>The password never leaves this record through logs or <c>config show</c>.</summary>
    public override string ToString() =>
        $"RemotingTlsSettings {{ Enabled = {Enabled}, CertificatePath = {CertificatePath}, CertificatePassword = {(CertificatePassword.Length > 0 ? "***" : "")} }}";

    private RemotingTlsSettings Validate()
    {
        if (!Enabled)
        {
            return this;
        }

        return CertificatePath.Length > 0
            ? this
            : throw new ConfigurationException("aero.cluster.tls.certificate-path is empty: expected the path of a PKCS#12 (.pfx) certificate with its private key when aero.cluster.tls.enabled = on.");
    }
}
