using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Node.Tests.Cluster;

/// <summary>
/// issue 13 §2: remoting with <c>aero.cluster.tls</c> on. Two nodes holding the same certificate form a cluster over
/// TLS; a node presenting another certificate is refused and never becomes a member.
/// </summary>
public sealed class RemotingTlsSpec(ITestOutputHelper output) : IDisposable
{
    private const string Password = "spec-password";
    private readonly LoopbackCluster _cluster = new(output);

    [Fact]
    public async Task Nodes_should_join_over_tls_only_with_the_clusters_certificate()
    {
        await _cluster.StartKafkaAsync();
        var clusterCertificate = WriteCertificate("cluster.pfx");
        var strangerCertificate = WriteCertificate("stranger.pfx");
        var seedPort = LoopbackCluster.FreePort(IPAddress.Loopback);
        var environment = new Dictionary<string, string> { ["AERO_CLUSTER_TLS_PASSWORD"] = Password };

        var seed = await _cluster.StartNodeAsync(await ConfigAsync("seed", seedPort, seedPort, clusterCertificate), environment);
        var member = await _cluster.StartNodeAsync(await ConfigAsync("member", 0, seedPort, clusterCertificate), environment);
        await LoopbackCluster.AwaitAsync(async () => (await _cluster.ShowAsync(seed)).Members.Count(m => m.Status == "Up") == 2, "2 Up members over TLS");
        var view = await _cluster.ShowAsync(member);
        Assert.All(view.Members, m => Assert.StartsWith("akka.ssl.tcp://aero@127.0.0.1:", m.Address, StringComparison.Ordinal));

        var stranger = await _cluster.StartNodeAsync(await ConfigAsync("stranger", 0, seedPort, strangerCertificate), environment);
        // The handshake fails on the certificate; a node that cannot reach its cluster over TLS stops with an error.
        Assert.NotEqual(0, await stranger.Process.ExitCodeAsync(LoopbackCluster.Timeout));
        Assert.Contains("Certificate pinning failed", stranger.Process.Output);
        Assert.Equal(2, (await _cluster.ShowAsync(seed)).Members.Count);

        member.Process.Terminate();
        seed.Process.Terminate();

        Assert.Equal(0, await member.Process.ExitCodeAsync(LoopbackCluster.Timeout));
        Assert.Equal(0, await seed.Process.ExitCodeAsync(LoopbackCluster.Timeout));
    }

    public void Dispose() => _cluster.Dispose();

    private Task<string> ConfigAsync(string name, int port, int seedPort, string certificate) => _cluster.WriteConfigAsync(name, $$"""
        aero.cluster {
          port = {{port}}
          seed-nodes = ["127.0.0.1:{{seedPort}}"]
          tls { enabled = on, certificate-path = "{{certificate}}" }
        }
        """);

    /// <summary>A self-signed certificate with its private key, as a password-protected PKCS#12 file.</summary>
    private string WriteCertificate(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=aero-" + Path.GetFileNameWithoutExtension(name), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var path = Path.Combine(_cluster.Directory, name);
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, Password));
        return path;
    }
}
