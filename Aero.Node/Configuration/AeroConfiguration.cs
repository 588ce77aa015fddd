using Aero.Streams;
using Akka.Configuration;

namespace Aero.Node.Configuration;

/// <summary>
/// The effective configuration: environment overrides, over an overlay (<c>--config</c> or <c>AERO_ENV</c>: a name such as
/// dev, test or gke for hocon/NAME.conf, or a file path), over hocon/aero.conf beside the executable, over the reference.conf
/// files of Aero.Streams, Aero.Warehouse and Aero.Kafka (<see cref="AeroStreamsConfig"/>).
/// </summary>
public static class AeroConfiguration
{
    /// <summary>Names the overlay when <c>--config</c> is not given.</summary>
    public const string EnvironmentVariable = "AERO_ENV";

    /// <summary>Environment variables and the keys they set.</summary>
    public static readonly IReadOnlyDictionary<string, string> EnvironmentOverrides = new Dictionary<string, string>
    {
        ["KAFKA_BOOTSTRAP_SERVERS"] = "aero.kafka.bootstrap-servers",
        ["GCP_PROJECT_ID"] = "aero.warehouse.bigquery.project-id",
        ["GOOGLE_APPLICATION_CREDENTIALS"] = "aero.warehouse.bigquery.credentials-file",
        ["AERO_ADMIN_TOKEN"] = "aero.admin.token",
        ["AERO_CLUSTER_HOSTNAME"] = "aero.cluster.hostname",
        ["AERO_CLUSTER_TLS_PASSWORD"] = "aero.cluster.tls.certificate-password",
        ["OPENSKY_USERNAME"] = "aero.extract.opensky.username",
        ["OPENSKY_PASSWORD"] = "aero.extract.opensky.password",
        ["OPENSKY_TOKEN"] = "aero.extract.opensky.token",
        ["AERO_POSTGRES_CONNECTION"] = "aero.warehouse.postgres.connection-string",
        ["AERO_SPARK_CONNECT_TOKEN"] = "aero.jobs.spark-connect.token",
        ["AERO_SCHEMA_REGISTRY_URL"] = "aero.schema-registry.url",
        ["AERO_SCHEMA_REGISTRY_CREDENTIALS"] = "aero.schema-registry.basic-auth-credentials",
        ["AERO_ARCHIVE_BUCKET"] = "aero.archive.gcs.bucket",
    };

    public static string HoconDirectory => Path.Combine(AppContext.BaseDirectory, "hocon");

    /// <param name="selection">hocon/NAME.conf for a name, else a file path; null means <c>AERO_ENV</c>, or no overlay.</param>
    /// <param name="environment">Reads environment variables (tests pass their own).</param>
    public static Config Load(string? selection, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var config = Parse(Path.Combine(HoconDirectory, "aero.conf"));
        selection ??= environment(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(selection))
        {
            config = Parse(OverlayPath(selection)).WithFallback(config);
        }

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

    private static string OverlayPath(string selection)
    {
        var looksLikePath = selection.Contains('/', StringComparison.Ordinal) || selection.Contains('\\', StringComparison.Ordinal)
            || selection.EndsWith(".conf", StringComparison.OrdinalIgnoreCase);
        if (looksLikePath || File.Exists(selection))
        {
            return selection;
        }

        var named = Path.Combine(HoconDirectory, selection + ".conf");
        if (File.Exists(named))
        {
            return named;
        }

        var known = Directory.EnumerateFiles(HoconDirectory, "*.conf").Select(Path.GetFileNameWithoutExtension).Where(n => n != "aero").Order(StringComparer.Ordinal);
        throw new ConfigurationException($"Configuration \"{selection}\" is neither a file nor one of {string.Join(", ", known)} (hocon/NAME.conf beside aero).");
    }

    private static Config Parse(string file)
    {
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"Configuration file {file} does not exist.", file);
        }

        try
        {
            return ConfigurationFactory.ParseString(File.ReadAllText(file));
        }
        catch (Exception error) when (error is not ConfigurationException and not IOException)
        {
            throw new ConfigurationException($"{file} is not valid HOCON: {error.Message}", error);
        }
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
