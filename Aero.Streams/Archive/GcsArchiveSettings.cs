using Akka.Configuration;

namespace Aero.Streams.Archive;

/// <summary>
/// The archive in a Google Cloud Storage bucket (<c>aero.archive.gcs</c>, defaults and why in reference.conf); with no
/// bucket the archive stays on local disk. Credentials as the BigQuery warehouse takes them: an access token (fakes
/// only), a service-account key file, else application default credentials.
/// </summary>
public sealed record GcsArchiveSettings
{
    private const string Section = "aero.archive.gcs";

    /// <summary>The bucket; null keeps the archive on local disk.</summary>
    public required string? Bucket { get; init; }

    /// <summary>Object names start with this (empty, or ending in '/').</summary>
    public required string Prefix { get; init; }

    public required Uri Endpoint { get; init; }
    public required string CredentialsFile { get; init; }
    public required string AccessToken { get; init; }
    public required int Attempts { get; init; }

    /// <summary>No archive but in a bucket: the nodes of a cluster whose pods keep no disk share nothing else.</summary>
    public required bool Required { get; init; }

    public static GcsArchiveSettings Create(Config? config = null)
    {
        var gcs = AeroStreamsConfig.WithDefaults(config).GetConfig(Section);
        var prefix = gcs.GetString("prefix")?.Trim().Trim('/') ?? "";
        var endpoint = gcs.GetString("endpoint");
        return new GcsArchiveSettings
        {
            Bucket = string.IsNullOrWhiteSpace(gcs.GetString("bucket")) ? null : gcs.GetString("bucket").Trim(),
            Prefix = prefix.Length == 0 ? "" : prefix + "/",
            Endpoint = Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && endpoint.EndsWith('/')
                ? uri
                : throw new ConfigurationException($"{Section}.endpoint = \"{endpoint}\" is not valid: expected an absolute URL ending in '/'."),
            CredentialsFile = gcs.GetString("credentials-file") ?? "",
            AccessToken = gcs.GetString("access-token") ?? "",
            Attempts = Aero.Kafka.Settings.SettingsValues.Positive($"{Section}.attempts", gcs.GetInt("attempts")),
            Required = gcs.GetBoolean("required"),
        }.Validate();
    }

    public GcsArchiveSettings WithBucket(string bucket, Uri endpoint, string accessToken) => (this with { Bucket = bucket, Endpoint = endpoint, AccessToken = accessToken }).Validate();

    public GcsArchiveSettings WithRequired(bool required) => (this with { Required = required }).Validate();

    /// <summary>gs://bucket/prefix, with no credentials in it.</summary>
    public string Describe() => $"gs://{Bucket}/{Prefix}";

    public override string ToString() =>
        $"GcsArchiveSettings {{ Bucket = {Bucket ?? "none"}, Prefix = {Prefix}, Endpoint = {Endpoint}, CredentialsFile = {CredentialsFile}, " +
        $"AccessToken = {(AccessToken.Length > 0 ? "<redacted>" : "none")}, Attempts = {Attempts}, Required = {Required} }}";

    private GcsArchiveSettings Validate() =>
        Required && Bucket is null
            ? throw new ConfigurationException(
                $"{Section}.bucket: expected a bucket (set AERO_ARCHIVE_BUCKET) because {Section}.required = on keeps the archive nowhere else; " +
                "or keep no archive (aero.archive.serve = off).")
            : this;
}
