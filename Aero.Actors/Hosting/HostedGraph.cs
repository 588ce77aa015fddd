using Aero.Kafka.Dsl;
using Akka;
using Akka.Streams;

namespace Aero.Actors.Hosting;

/// <summary>
/// A stream graph a node runs while it is a cluster member with <paramref name="Role"/>: the load graph today,
/// transform and jobs later. A node hosts every registered graph of its roles, each under restart backoff.
/// </summary>
/// <param name="Name">Names the graph in logs, metrics and <c>aero pipeline status</c>; also its actor's name.</param>
/// <param name="Role">The cluster role a node needs to run it.</param>
/// <param name="Start">Materializes the graph; called again after each failure, once its backoff passed.</param>
public sealed record HostedGraph(string Name, string Role, Func<IMaterializer, DrainingControl<Done>> Start);
