using Akka.Actor;
using Akka.Cluster;

namespace Aero.Node.Admin;

/// <summary>Reads a member address as operators type it: in full, or just host:port of a node of this cluster.</summary>
public static class ClusterAddresses
{
    /// <summary>The member at <paramref name="text"/>; a 404 naming the members when there is none.</summary>
    public static Member Member(Cluster cluster, string text)
    {
        Address address;
        try
        {
            address = Address.Parse(text.Contains("://", StringComparison.Ordinal) ? text : $"{cluster.SelfAddress.Protocol}://{cluster.SelfAddress.System}@{text}");
        }
        catch (Exception error) when (error is UriFormatException or FormatException or ArgumentException)
        {
            throw new AdminRequestException($"\"{text}\" is not a member address: expected {cluster.SelfAddress.Protocol}://{cluster.SelfAddress.System}@host:port or host:port.");
        }

        return cluster.State.Members.FirstOrDefault(m => m.Address.Equals(address))
            ?? throw new AdminRequestException(
                $"{address} is not a member of the cluster. Members: {string.Join(", ", cluster.State.Members.Select(m => m.Address))}.", 404);
    }
}
