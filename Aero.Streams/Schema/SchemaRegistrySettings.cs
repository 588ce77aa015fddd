using Aero.Kafka.Settings;
using Akka.Configuration;
using Confluent.SchemaRegistry;

namespace Aero.Streams.Schema;

/// <summary>
/// The Confluent Schema Registry (<c>aero.schema-registry</c>, defaults and why in reference.conf): where it is, how
/// subjects are named, whether producers frame their records and register the schema. The credentials never appear in
/// <see cref="ToString"/>, so logging these settings logs no secret.
/// </summary>
public sealed record SchemaRegistrySettings
{
    private const string Section = "aero.schema-registry";

    /// <summary>The registry's URL; null when none is configured (records are produced as plain JSON).</summary>
    public required string? Url { get; init; }

    /// <summary>HTTP basic authentication as <c>user:password</c>; null sends none.</summary>
    public required string? BasicAuthCredentials { get; init; }

    public required bool ProduceFramed { get; init; }
    public required SubjectNameStrategy SubjectNameStrategy { get; init; }
    public required bool AutoRegister { get; init; }

    /// <summary>The level set on a subject before registering; null leaves the registry's.</summary>
    public required Compatibility? Compatibility { get; init; }

    public required TimeSpan RequestTimeout { get; init; }
    public required int MaxCachedSchemas { get; init; }

    /// <summary>Whether producers frame their records: a registry is configured and <c>produce-framed</c> is on.</summary>
    public bool Produces => Url is not null && ProduceFramed;

    public static SchemaRegistrySettings Create(Config? config = null)
    {
        var registry = AeroStreamsConfig.WithDefaults(config).GetConfig(Section);
        return new SchemaRegistrySettings
        {
            Url = NullIfEmpty(registry.GetString("url")),
            BasicAuthCredentials = NullIfEmpty(registry.GetString("basic-auth-credentials")),
            ProduceFramed = registry.GetBoolean("produce-framed"),
            SubjectNameStrategy = ParseStrategy(registry.GetString("subject-name-strategy")),
            AutoRegister = registry.GetBoolean("auto-register"),
            Compatibility = ParseCompatibility(registry.GetString("compatibility")),
            RequestTimeout = SettingsValues.Positive($"{Section}.request-timeout", registry.GetTimeSpan("request-timeout")),
            MaxCachedSchemas = SettingsValues.Positive($"{Section}.max-cached-schemas", registry.GetInt("max-cached-schemas")),
        };
    }

    public SchemaRegistrySettings WithUrl(string url) => this with { Url = NullIfEmpty(url) };

    /// <summary>A client of the registry (Confluent's, caching schemas by id and subject).</summary>
    public ISchemaRegistryClient CreateClient()
    {
        var config = new SchemaRegistryConfig
        {
            Url = Url ?? throw new InvalidOperationException($"{Section}.url is empty: no schema registry is configured."),
            RequestTimeoutMs = (int)Math.Min(int.MaxValue, RequestTimeout.TotalMilliseconds),
            MaxCachedSchemas = MaxCachedSchemas,
        };
        if (BasicAuthCredentials is { } credentials)
        {
            config.BasicAuthCredentialsSource = AuthCredentialsSource.UserInfo;
            config.BasicAuthUserInfo = credentials;
        }

        return new CachedSchemaRegistryClient(config);
    }

    public override string ToString() =>
        $"SchemaRegistrySettings {{ Url = {Url ?? "none"}, BasicAuthCredentials = {(BasicAuthCredentials is null ? "none" : "<redacted>")}, " +
        $"ProduceFramed = {ProduceFramed}, SubjectNameStrategy = {SubjectNameStrategy}, AutoRegister = {AutoRegister}, " +
        $"Compatibility = {Compatibility?.ToString() ?? "registry's"}, RequestTimeout = {RequestTimeout}, MaxCachedSchemas = {MaxCachedSchemas} }}";

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static SubjectNameStrategy ParseStrategy(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "topic" => SubjectNameStrategy.Topic,
        "record" => SubjectNameStrategy.Record,
        "topic-record" => SubjectNameStrategy.TopicRecord,
        _ => throw new ConfigurationException($"{Section}.subject-name-strategy = \"{value}\" is not valid: expected topic, record or topic-record."),
    };

    private static Compatibility? ParseCompatibility(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "none" => Confluent.SchemaRegistry.Compatibility.None,
        "backward" => Confluent.SchemaRegistry.Compatibility.Backward,
        "backward-transitive" => Confluent.SchemaRegistry.Compatibility.BackwardTransitive,
        "forward" => Confluent.SchemaRegistry.Compatibility.Forward,
        "forward-transitive" => Confluent.SchemaRegistry.Compatibility.ForwardTransitive,
        "full" => Confluent.SchemaRegistry.Compatibility.Full,
        "full-transitive" => Confluent.SchemaRegistry.Compatibility.FullTransitive,
        _ => throw new ConfigurationException(
            $"{Section}.compatibility = \"{value}\" is not valid: expected none, backward, backward-transitive, forward, forward-transitive, full, full-transitive or \"\"."),
    };
}
