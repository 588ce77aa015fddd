using Google.Apis.Auth.OAuth2;

namespace Aero.Warehouse.BigQuery;

/// <summary>
/// Bearer tokens for BigQuery: a fixed token (fakes), a service-account key file, or application default
/// credentials (gcloud, workload identity, the metadata server). Google's library caches and refreshes them.
/// </summary>
internal sealed class BigQueryTokenSource
{
    public const string Scope = "https://www.googleapis.com/auth/bigquery";

    private readonly Func<CancellationToken, Task<string>> _token;

    private BigQueryTokenSource(Func<CancellationToken, Task<string>> token) => _token = token;

    /// <summary>What kind of credentials these are, never the secret itself.</summary>
    public required string Kind { get; init; }

    public static async Task<BigQueryTokenSource> CreateAsync(BigQuerySettings settings, CancellationToken cancellationToken)
    {
        if (settings.AccessToken.Length > 0)
        {
            var token = settings.AccessToken;
            return new BigQueryTokenSource(_ => Task.FromResult(token)) { Kind = "access token" };
        }

        if (settings.CredentialsFile.Length > 0)
        {
            // Typed as a service account: a key file of another kind (e.g. an external account) is refused, not run.
            var account = await CredentialFactory.FromFileAsync<ServiceAccountCredential>(settings.CredentialsFile, cancellationToken);
            return FromGoogle(GoogleCredential.FromServiceAccountCredential(account), $"service account key {settings.CredentialsFile}");
        }

        return FromGoogle(await GoogleCredential.GetApplicationDefaultAsync(cancellationToken), "application default credentials");
    }

    public Task<string> TokenAsync(CancellationToken cancellationToken) => _token(cancellationToken);

    private static BigQueryTokenSource FromGoogle(GoogleCredential credential, string kind)
    {
        ITokenAccess access = credential.CreateScoped(Scope);
        return new BigQueryTokenSource(ct => access.GetAccessTokenForRequestAsync(cancellationToken: ct)) { Kind = kind };
    }
}
