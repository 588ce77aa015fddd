using System.Net;
using Google;
using Google.Apis.Auth.OAuth2;
using Google.Cloud.Storage.V1;
using Polly;
using Polly.Retry;

namespace Aero.Streams.Archive;

/// <summary>
/// An archive in a GCS bucket. A file is written to a local temporary file (in the local archive directory's
/// <c>_incoming/</c>, as <see cref="LocalArchiveTarget"/> writes it) and published by one upload with
/// <c>ifGenerationMatch=0</c>: GCS creates the object only when the whole upload is finalized, so a crash mid-upload
/// leaves nothing visible, and never over an object of that name. The name is the range (topic, partition, first and
/// last offset), so a 412 says this very range is archived already (a retry of our own upload whose answer was lost,
/// or a writer that lost the partition): the file is then done and this copy dropped; a different range never
/// collides, and an overlap between ranges is <see cref="ArchiveProgress"/>'s alarm. The bucket's listing is the
/// archive's progress. 429 and 5xx answers are retried (<c>attempts</c>) from a new upload.
/// </summary>
public sealed class GcsArchiveTarget : IArchiveTarget
{
    private const string ContentType = "application/vnd.apache.parquet";
    private const string Scope = "https://www.googleapis.com/auth/devstorage.read_write";

    private readonly StorageClient _client;
    private readonly GcsArchiveSettings _settings;
    private readonly LocalArchiveTarget _staging;
    private readonly ResiliencePipeline _retry;

    private GcsArchiveTarget(StorageClient client, GcsArchiveSettings settings, LocalArchiveTarget staging, string credentials)
    {
        (_client, _settings, _staging) = (client, settings, staging);
        Description = $"{settings.Describe()} ({credentials})";
        _retry = settings.Attempts == 1 ? ResiliencePipeline.Empty : new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = settings.Attempts - 1,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(200),
            UseJitter = true,
            ShouldHandle = new PredicateBuilder().Handle<GoogleApiException>(IsTransient).Handle<HttpRequestException>(),
        }).Build();
    }

    public string Description { get; }

    /// <summary>A target on <paramref name="settings"/>' bucket, staging files under <paramref name="stagingDirectory"/>.</summary>
    public static async Task<GcsArchiveTarget> CreateAsync(GcsArchiveSettings settings, string stagingDirectory, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var (credential, kind) = await CredentialAsync(settings, cancellation);
        var client = await new StorageClientBuilder { BaseUri = new Uri(settings.Endpoint, "storage/v1/").ToString(), GoogleCredential = credential }.BuildAsync(cancellation);
        return new GcsArchiveTarget(client, settings, new LocalArchiveTarget(stagingDirectory), kind);
    }

    public async Task<IReadOnlyList<ArchiveFile>> ListAsync(CancellationToken cancellation) =>
        await _retry.ExecuteAsync(async token =>
        {
            var files = new List<ArchiveFile>();
            await foreach (var item in _client.ListObjectsAsync(_settings.Bucket, _settings.Prefix).WithCancellation(token))
            {
                if (ArchiveFile.TryParse(item.Name[_settings.Prefix.Length..]) is { } file)
                {
                    files.Add(file);
                }
            }

            return (IReadOnlyList<ArchiveFile>)files;
        }, cancellation);

    public Task<IArchiveUpload> BeginAsync(string topic, int partition, CancellationToken cancellation) =>
        Task.FromResult<IArchiveUpload>(new Upload(this, _staging.TemporaryPath(topic, partition)));

    public Task DiscardTemporariesAsync(string topic, int partition, CancellationToken cancellation) =>
        _staging.DiscardTemporariesAsync(topic, partition, cancellation);

    public async Task<Stream> OpenReadAsync(ArchiveFile file, CancellationToken cancellation)
    {
        // Parquet readers seek: the object comes down into a temporary file, deleted when the stream is closed.
        var path = _staging.TemporaryPath(file.Topic, file.Partition);
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        try
        {
            await _retry.ExecuteAsync(async token =>
            {
                stream.SetLength(0);
                await _client.DownloadObjectAsync(_settings.Bucket, ObjectName(file), stream, cancellationToken: token);
            }, cancellation);
            stream.Position = 0;
            return stream;
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    public async Task DeleteAsync(ArchiveFile file, CancellationToken cancellation) =>
        await _retry.ExecuteAsync(async token => await _client.DeleteObjectAsync(_settings.Bucket, ObjectName(file), cancellationToken: token), cancellation);

    /// <summary>The object's name in the bucket.</summary>
    public string ObjectName(ArchiveFile file) => _settings.Prefix + file.RelativePath;

    private static bool IsTransient(GoogleApiException error) =>
        error.HttpStatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)error.HttpStatusCode >= 500;

    private static async Task<(GoogleCredential Credential, string Kind)> CredentialAsync(GcsArchiveSettings settings, CancellationToken cancellation)
    {
        if (settings.AccessToken.Length > 0)
        {
            return (GoogleCredential.FromAccessToken(settings.AccessToken), "access token");
        }

        if (settings.CredentialsFile.Length > 0)
        {
            // Typed as a service account: a key file of another kind (e.g. an external account) is refused, not run.
            var account = await CredentialFactory.FromFileAsync<ServiceAccountCredential>(settings.CredentialsFile, cancellation);
            return (GoogleCredential.FromServiceAccountCredential(account).CreateScoped(Scope), $"service account key {settings.CredentialsFile}");
        }

        return ((await GoogleCredential.GetApplicationDefaultAsync(cancellation)).CreateScoped(Scope), "application default credentials");
    }

    private sealed class Upload(GcsArchiveTarget target, string path) : IArchiveUpload
    {
        private readonly FileStream _stream = new(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);

        public Stream Stream => _stream;

        public async Task<bool> PublishAsync(ArchiveFile file, CancellationToken cancellation)
        {
            await _stream.FlushAsync(cancellation);
            try
            {
                await target._retry.ExecuteAsync(async token =>
                {
                    _stream.Position = 0;
                    await target._client.UploadObjectAsync(
                        target._settings.Bucket, target.ObjectName(file), ContentType, _stream, new UploadObjectOptions { IfGenerationMatch = 0 }, token);
                }, cancellation);
                return true;
            }
            catch (GoogleApiException error) when (error.HttpStatusCode == HttpStatusCode.PreconditionFailed)
            {
                // The object's name is this range: it is archived already, whoever uploaded it.
                return false;
            }
        }

        public ValueTask DisposeAsync() => _stream.DisposeAsync();
    }
}
