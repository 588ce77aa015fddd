using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Aero.FakeBigQuery;
using Aero.Streams.Tests.Extract.OpenSky;
using Aero.Warehouse.BigQuery;
using Microsoft.AspNetCore.Http;
using Xunit;
using static Aero.Warehouse.Tests.BigQuery.BigQueryTestData;

namespace Aero.Warehouse.Tests.BigQuery;

public sealed class BigQueryCredentialsSpec : FakeBigQuerySpec
{
    private const string IssuedToken = "ya29.c0-issued-by-the-token-server";
    private readonly string _keyFile = Path.Combine(Path.GetTempPath(), $"aero-key-{Guid.NewGuid():N}.json");
    public override async Task DisposeAsync()
    {
        File.Delete(_keyFile);
        await base.DisposeAsync();
    }

    [Fact]
    public async Task A_service_account_key_should_buy_a_bigquery_scoped_token_and_never_show_it()
    {
        // Google's token endpoint, played locally: the key file's token_uri points here.
        await using var tokenServer = await ScriptedOpenSkyServer.StartAsync();
        string? assertion = null;
        tokenServer.Then(async context =>
        {
            assertion = (await context.Request.ReadFormAsync())["assertion"];
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($$"""{"access_token":"{{IssuedToken}}","expires_in":3600,"token_type":"Bearer"}""");
        });
        using var rsa = RSA.Create(2048);
        var privateKey = rsa.ExportPkcs8PrivateKeyPem();
        await File.WriteAllTextAsync(_keyFile, new JsonObject
        {
            ["type"] = "service_account",
            ["project_id"] = ProjectId,
            ["private_key_id"] = "spec-key",
            ["private_key"] = privateKey,
            ["client_email"] = "aero-loader@aero-test.iam.gserviceaccount.com",
            ["client_id"] = "1234567890",
            ["token_uri"] = new Uri(tokenServer.BaseUrl, "token").AbsoluteUri,
        }.ToJsonString());
        var log = new RecordingLog();

        await using var warehouse = await BigQueryWarehouse.OpenAsync(Settings(Fake).WithAccessToken("").WithCredentialsFile(_keyFile), log);
        await warehouse.WriteAsync(Batch(Rows(0, 0, 2)));

        Assert.Equal(2, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
        var claims = JsonNode.Parse(Base64UrlDecode(assertion!.Split('.')[1]))!;
        Assert.Equal(BigQueryTokenSource.Scope, claims["scope"]!.GetValue<string>());
        Assert.Equal("aero-loader@aero-test.iam.gserviceaccount.com", claims["iss"]!.GetValue<string>());
        Assert.Contains("service account key", warehouse.Description, StringComparison.Ordinal);
        foreach (var secret in new[] { IssuedToken, "PRIVATE KEY" })
        {
            Assert.DoesNotContain(secret, warehouse.Description, StringComparison.Ordinal);
            Assert.All(log.Entries, e => Assert.DoesNotContain(secret, e.Message, StringComparison.Ordinal));
        }
    }

    private static string Base64UrlDecode(string segment)
    {
        var padded = segment.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        return Encoding.UTF8.GetString(Convert.FromBase64String(padded));
    }
}
