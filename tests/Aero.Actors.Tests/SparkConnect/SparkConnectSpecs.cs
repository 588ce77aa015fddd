using Aero.Actors.Jobs.SparkConnect;
using Aero.FakeSparkConnect;
using Akka.Configuration;

namespace Aero.Actors.Tests.SparkConnect;

/// <summary>What the Spark Connect specs share: the node's defaults from hocon/aero.conf, pointed at a fake server.</summary>
internal static class SparkConnectSpecs
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static Config NodeDefaults() => ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "hocon", "aero.conf")));

    public static SparkConnectSettings Settings(FakeSparkConnectServer server) =>
        SparkConnectSettings.Create(NodeDefaults())
            .WithEndpoint(server.Endpoint)
            .WithRetry(5, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50));

    public static SparkConnectClient Client(FakeSparkConnectServer server, RecordingLog? log = null) => new(Settings(server), log ?? new RecordingLog());
}
