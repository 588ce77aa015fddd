using Aero.Streams.Kafka;
using Akka.Configuration;

namespace Aero.Node.Configuration;

/// <summary>
/// The effective configuration: environment overrides, over the given file (or hocon/aero.conf beside the
/// executable), over Aero.Streams' reference.conf.
/// </summary>
public static class AeroConfiguration
{
    /// <summary>Environment variables and the keys they set.</summary>
    public static readonly IReadOnlyDictionary<string, string> EnvironmentOverrides = new Dictionary<string, string>
    {
        ["KAFKA_BOOTSTRAP_SERVERS"] = "aero.kafka.bootstrap-servers",
        ["OPENSKY_USERNAME"] = "aero.extract.opensky.username",
        ["OPENSKY_PASSWORD"] = "aero.extract.opensky.password",
        ["OPENSKY_TOKEN"] = "aero.extract.opensky.token",
        ["AERO_POSTGRES_CONNECTION"] = "aero.warehouse.postgres.connection-string",
        ["GCP_PROJECT_ID"] = "aero.warehouse.bigquery.project-id",
        ["GOOGLE_APPLICATION_CREDENTIALS"] = "aero.warehouse.bigquery.credentials-file",
    };

    public static Config Load(string? path, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var file = path ?? Path.Combine(AppContext.BaseDirectory, "hocon", "aero.conf");
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"Configuration file {file} does not exist.", file);
        }

        var config = ConfigurationFactory.ParseString(File.ReadAllText(file));
        foreach (var (variable, key) in EnvironmentOverrides)
        {
            if (environment(variable) is { Length: > 0 } value)
            {
                config = With(config, key, value);
            }
        }

        return AeroStreamsConfig.WithDefaults(config);
    }

    /// <summary>A path from the configuration: as given if it exists, else relative to the install directory.</summary>
    public static string ResolveInput(string path)
    {
        if (Path.IsPathRooted(path) || File.Exists(path) || Directory.Exists(path))
        {
            return path;
        }

        var besideExecutable = Path.Combine(AppContext.BaseDirectory, path);
        return File.Exists(besideExecutable) ? besideExecutable : path;
    }

    /// <summary>The configuration with one key set, as if the file said so.</summary>
    public static Config With(Config config, string key, string value) => ConfigurationFactory.ParseString($"{key} = {Quote(value)}").WithFallback(config);

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
