using Aero.Actors.Jobs;
using Akka.Configuration;
using Xunit;

namespace Aero.Actors.Tests.Jobs;

/// <summary>The node's hocon/aero.conf (copied beside the specs), with a spec's own settings over it.</summary>
internal static class JobConfig
{
    public static readonly IReadOnlyDictionary<string, string> DuckDbEngines = new Dictionary<string, string> { ["warehouse"] = "duckdb", ["duckdb"] = "duckdb" };

    public static readonly IReadOnlyDictionary<string, string> PostgresEngines = new Dictionary<string, string> { ["warehouse"] = "postgres", ["postgres"] = "postgres" };

    public static Config Node { get; } = ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "hocon", "aero.conf")));

    /// <summary>The node's settings with <paramref name="hocon"/> over them.</summary>
    public static Config With(string hocon) => ConfigurationFactory.ParseString(hocon).WithFallback(Node);

    /// <summary>Only the jobs given in <paramref name="definitions"/> (HOCON of aero.jobs.definitions), over the node's defaults.</summary>
    public static JobsSettings Only(string definitions, IReadOnlyDictionary<string, string>? engines = null, string settings = "") =>
        JobsSettings.Create(With($"aero.jobs {{ {settings} }}"), engines ?? DuckDbEngines, ConfigurationFactory.ParseString(definitions));
}
