using System.Text;
using Aero.Kafka.Settings;
using Akka.Actor;
using Akka.Configuration;

namespace Aero.Warehouse.BigQuery;

/// <summary>Where and how <see cref="BigQueryWarehouse"/> writes (<c>aero.warehouse.bigquery</c>).</summary>
public sealed record BigQuerySettings
{
    private const string Section = "aero.warehouse.bigquery";
    private const int UploadGranularity = 256 * 1024;

    public required Uri Endpoint { get; init; }
    public required string ProjectId { get; init; }
    public required string Dataset { get; init; }
    public required string Location { get; init; }
    public required BigQueryWriteMode Mode { get; init; }

    /// <summary>A service-account key file; empty uses the access token or application default credentials.</summary>
    public required string CredentialsFile { get; init; }

    /// <summary>A fixed bearer token, for fakes and tests. Never printed (see <see cref="PrintMembers"/>).</summary>
    public required string AccessToken { get; init; }

    public required TimeSpan LoadInterval { get; init; }
    public required int UploadChunkBytes { get; init; }
    public required TimeSpan JobPollInterval { get; init; }
    public required int StreamingMaxRows { get; init; }
    public required int StreamingMaxBytes { get; init; }
    public required TimeSpan InitialBackoff { get; init; }
    public required TimeSpan MaxBackoff { get; init; }
    public required TimeSpan RetryDeadline { get; init; }
    public required TimeSpan AttemptTimeout { get; init; }
    public required TimeSpan QuotaBackoff { get; init; }

    public static BigQuerySettings Create(Config? config = null)
    {
        var section = AeroWarehouseConfig.WithDefaults(config).GetConfig("aero.warehouse.bigquery");
        var mode = section.GetString("mode");
        return new BigQuerySettings
        {
            Endpoint = new Uri(section.GetString("endpoint")),
            ProjectId = section.GetString("project-id"),
            Dataset = section.GetString("dataset"),
            Location = section.GetString("location"),
            Mode = mode switch
            {
                "load" => BigQueryWriteMode.Load,
                "streaming" => BigQueryWriteMode.Streaming,
                _ => throw new ConfigurationException($"aero.warehouse.bigquery.mode: expected load or streaming, got '{mode}'"),
            },
            CredentialsFile = section.GetString("credentials-file"),
            AccessToken = section.GetString("access-token"),
            LoadInterval = section.GetTimeSpan("load-interval"),
            UploadChunkBytes = checked((int)section.GetByteSize("upload-chunk-size")!.Value),
            JobPollInterval = section.GetTimeSpan("job-poll-interval"),
            StreamingMaxRows = section.GetInt("streaming.max-rows"),
            StreamingMaxBytes = checked((int)section.GetByteSize("streaming.max-bytes")!.Value),
            InitialBackoff = section.GetTimeSpan("retry.initial-backoff"),
            MaxBackoff = section.GetTimeSpan("retry.max-backoff"),
            RetryDeadline = section.GetTimeSpan("retry.deadline"),
            AttemptTimeout = section.GetTimeSpan("retry.attempt-timeout"),
            QuotaBackoff = section.GetTimeSpan("quota-backoff"),
        }.Validate();
    }

    /// <summary>Settings from the actor system's configuration.</summary>
    public static BigQuerySettings Create(ActorSystem system) => Create(system.Settings.Config);

    public BigQuerySettings WithEndpoint(Uri endpoint) => this with { Endpoint = endpoint };

    public BigQuerySettings WithProjectId(string projectId) => this with { ProjectId = projectId };

    public BigQuerySettings WithDataset(string dataset) => this with { Dataset = dataset };

    public BigQuerySettings WithLocation(string location) => this with { Location = location };

    public BigQuerySettings WithMode(BigQueryWriteMode mode) => this with { Mode = mode };

    public BigQuerySettings WithCredentialsFile(string path) => this with { CredentialsFile = path };

    public BigQuerySettings WithAccessToken(string token) => this with { AccessToken = token };

    public BigQuerySettings WithLoadInterval(TimeSpan interval) => (this with { LoadInterval = interval }).Validate();

    public BigQuerySettings WithUploadChunkBytes(int bytes) => (this with { UploadChunkBytes = bytes }).Validate();

    public BigQuerySettings WithJobPollInterval(TimeSpan interval) => (this with { JobPollInterval = interval }).Validate();

    public BigQuerySettings WithStreamingLimits(int maxRows, int maxBytes) =>
        (this with { StreamingMaxRows = maxRows, StreamingMaxBytes = maxBytes }).Validate();

    public BigQuerySettings WithRetry(TimeSpan initialBackoff, TimeSpan maxBackoff, TimeSpan deadline) =>
        (this with { InitialBackoff = initialBackoff, MaxBackoff = maxBackoff, RetryDeadline = deadline }).Validate();

    public BigQuerySettings WithAttemptTimeout(TimeSpan timeout) => (this with { AttemptTimeout = timeout }).Validate();

    public BigQuerySettings WithQuotaBackoff(TimeSpan backoff) => (this with { QuotaBackoff = backoff }).Validate();

    /// <summary>"project.dataset at endpoint": for descriptions and logs, with no credentials in it.</summary>
    public string Describe() => $"{ProjectId}.{Dataset} ({Location}, {Mode.ToString().ToLowerInvariant()}) at {Endpoint}";

    // Records print every property; the access token must never reach a log.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Endpoint = ").Append(Endpoint)
            .Append(", ProjectId = ").Append(ProjectId)
            .Append(", Dataset = ").Append(Dataset)
            .Append(", Location = ").Append(Location)
            .Append(", Mode = ").Append(Mode)
            .Append(", CredentialsFile = ").Append(CredentialsFile)
            .Append(", AccessToken = ").Append(AccessToken.Length > 0 ? "<redacted>" : string.Empty);
        return true;
    }

    private BigQuerySettings Validate()
    {
        SettingsValues.NotNegative($"{Section}.load-interval", LoadInterval);
        SettingsValues.NotNegative($"{Section}.job-poll-interval", JobPollInterval);
        SettingsValues.NotNegative($"{Section}.retry.initial-backoff", InitialBackoff);
        SettingsValues.NotNegative($"{Section}.retry.max-backoff", MaxBackoff);
        SettingsValues.NotNegative($"{Section}.retry.deadline", RetryDeadline);
        SettingsValues.Positive($"{Section}.retry.attempt-timeout", AttemptTimeout);
        SettingsValues.NotNegative($"{Section}.quota-backoff", QuotaBackoff);

        if (UploadChunkBytes < UploadGranularity || UploadChunkBytes % UploadGranularity != 0)
        {
            throw new ConfigurationException($"aero.warehouse.bigquery.upload-chunk-size: expected a multiple of 256 KiB, got {UploadChunkBytes} bytes");
        }

        if (StreamingMaxRows is < 1 or > 50_000)
        {
            throw new ConfigurationException($"aero.warehouse.bigquery.streaming.max-rows: expected 1 to 50000, got {StreamingMaxRows}");
        }

        if (StreamingMaxBytes is < 1 or > 10_485_760)
        {
            throw new ConfigurationException($"aero.warehouse.bigquery.streaming.max-bytes: expected at most 10 MB, got {StreamingMaxBytes}");
        }

        return this;
    }
}
