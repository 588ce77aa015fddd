using System.Net;
using Aero.Actors.Configuration;
using Akka.Actor;
using Akka.Configuration;

namespace Aero.Node.Configuration;

/// <summary>
/// The node's HTTP endpoint (admin API, <c>/metrics</c>, <c>/healthz</c>): <c>aero.admin</c> (see hocon/aero.conf).
/// Bound to loopback unless configured; anywhere else it needs a bearer token, or the node refuses to start.
/// </summary>
public sealed record AdminSettings(string Hostname, int Port, string Token, int ClusterEventsKept)
{
    public static AdminSettings Create(ActorSystem system) => Create(system.Settings.Config);

    public static AdminSettings Create(Config config) => new AdminSettings(
        SettingsKeys.Text(config, "aero.admin.hostname"),
        SettingsKeys.WholeNumber(config, "aero.admin.port"),
        SettingsKeys.Text(config, "aero.admin.token"),
        SettingsKeys.WholeNumber(config, "aero.admin.cluster-events")).Validate();

    /// <summary>Reachable from this machine only: 127.0.0.0/8, ::1 or localhost.</summary>
    public bool IsLoopback =>
        string.Equals(Hostname, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(Hostname, out var address) && IPAddress.IsLoopback(address));

    public AdminSettings WithHostname(string hostname) => (this with { Hostname = hostname }).Validate();

    public AdminSettings WithPort(int port) => (this with { Port = port }).Validate();

    public AdminSettings WithToken(string token) => (this with { Token = token }).Validate();

    public AdminSettings WithClusterEventsKept(int count) => (this with { ClusterEventsKept = count }).Validate();

    /// <summary>Never the token itself: settings end up in logs and exceptions.</summary>
    public override string ToString() => $"AdminSettings {{ Hostname = {Hostname}, Port = {Port}, Token = {(Token.Length > 0 ? "<redacted>" : "none")}, ClusterEventsKept = {ClusterEventsKept} }}";

    private AdminSettings Validate()
    {
        if (Port is < 0 or > 65535)
        {
            throw new ConfigurationException($"aero.admin.port = {Port} is not valid: expected 0 (any free port) to 65535.");
        }

        if (ClusterEventsKept < 1)
        {
            throw new ConfigurationException($"aero.admin.cluster-events = {ClusterEventsKept} is not valid: expected 1 or more.");
        }

        return IsLoopback || Token.Length > 0
            ? this
            : throw new ConfigurationException(
                $"aero.admin.token: expected a bearer token (set AERO_ADMIN_TOKEN) because aero.admin.hostname = \"{Hostname}\" exposes the admin API beyond loopback.");
    }
}
