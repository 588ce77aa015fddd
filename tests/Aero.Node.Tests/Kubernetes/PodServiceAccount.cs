namespace Aero.Node.Tests.Kubernetes;

/// <summary>
/// Runs a node as in a pod: its own mount namespace, where the service account files sit at the path Kubernetes mounts
/// them (/var/run/secrets/kubernetes.io/serviceaccount), so the Kubernetes client takes its in-cluster path, as on GKE.
/// The host's /run is left as it is: the node sees a private, empty one.
/// </summary>
public static class PodServiceAccount
{
    private const string MountScript =
        "mount -t tmpfs -o size=1m aero-pod /run && mkdir -p /run/secrets/kubernetes.io/serviceaccount"
        + " && cp \"$0\"/token \"$0\"/ca.crt \"$0\"/namespace /run/secrets/kubernetes.io/serviceaccount/ && exec \"$@\"";

    /// <summary>The launcher for <see cref="AeroProcess.StartAeroThrough"/>: files from <paramref name="directory"/> mounted in.</summary>
    public static IReadOnlyList<string> Launcher(string directory)
    {
        if (Environment.UserName != "root")
        {
            throw new InvalidOperationException($"This spec runs a node in a mount namespace of its own (unshare --mount), which needs root; it runs as {Environment.UserName}.");
        }

        if (!File.Exists("/usr/bin/unshare"))
        {
            throw new InvalidOperationException("This spec needs unshare (Debian package util-linux) to run a node in a mount namespace of its own.");
        }

        return ["/usr/bin/unshare", "--mount", "--propagation", "private", "--", "sh", "-c", MountScript, directory];
    }
}
