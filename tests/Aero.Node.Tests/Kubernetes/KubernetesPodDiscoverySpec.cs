using Aero.Node.Hosting;
using k8s.Models;
using Xunit;

namespace Aero.Node.Tests.Kubernetes;

public sealed class KubernetesPodDiscoverySpec
{
    [Fact]
    public void Discovery_should_offer_only_running_pods_with_an_ip_and_the_named_port()
    {
        var pods = new V1PodList
        {
            Items =
            [
                Pod("ready", "Running", "10.4.0.7", ("akka-remote", 4053), ("management", 8558)),
                // Akka.Management matches a port whose name contains the one asked for.
                Pod("renamed", "Running", "10.4.0.8", ("akka-management", 9558)),
                Pod("starting", "Pending", null, ("management", 8558)),
                Pod("finished", "Succeeded", "10.4.0.9", ("management", 8558)),
                Pod("no-port", "Running", "10.4.0.10", ("admin", 9110)),
                Pod("deleting", "Running", "10.4.0.11", ("management", 8558)),
            ],
        };
        pods.Items[^1].Metadata.DeletionTimestamp = DateTime.UtcNow;

        var targets = KubernetesPodDiscovery.Targets(pods, "management").Select(t => (t.Host, t.Port, t.Address?.ToString())).ToList();

        Assert.Equal([("10.4.0.7", 8558, "10.4.0.7"), ("10.4.0.8", 9558, "10.4.0.8")], targets);
    }

    [Fact]
    public void Discovery_without_a_port_name_should_offer_every_running_pod_without_a_port()
    {
        var pods = new V1PodList { Items = [Pod("a", "Running", "10.4.0.7", ("admin", 9110)), Pod("b", "Running", "10.4.0.8")] };

        Assert.Equal([("10.4.0.7", (int?)null), ("10.4.0.8", null)], KubernetesPodDiscovery.Targets(pods, null).Select(t => (t.Host, t.Port)));
    }

    private static V1Pod Pod(string name, string phase, string? ip, params (string Name, int Port)[] ports) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "aero", Ports = [.. ports.Select(p => new V1ContainerPort { Name = p.Name, ContainerPort = p.Port })] }] },
        Status = new V1PodStatus { Phase = phase, PodIP = ip },
    };
}
