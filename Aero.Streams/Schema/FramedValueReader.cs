using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Confluent.SchemaRegistry;
using Json.Schema;

namespace Aero.Streams.Schema;

/// <summary>
/// Reads framed values (<see cref="ConfluentWireFormat"/>): looks the schema id up in the registry (once per id; an id the
/// registry does not know is remembered as unknown), checks the JSON against that schema and hands the JSON on. What
/// is wrong with a record (an unknown id, a schema other than JSON Schema, JSON its schema refuses) is a rejection for
/// the caller to dead-letter; a registry that cannot be reached throws, since no record is at fault.
/// </summary>
public sealed class FramedValueReader : IDisposable
{
    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };
    private const int ErrorsShown = 3;

    private readonly ISchemaRegistryClient _client;
    private readonly TimeSpan _timeout;
    private readonly ConcurrentDictionary<int, Lazy<Task<KnownSchema>>> _schemas = new();

    private readonly bool _ownsClient;

    /// <summary>A reader over <paramref name="client"/>, which the caller keeps and disposes.</summary>
    public FramedValueReader(ISchemaRegistryClient client, TimeSpan timeout)
        : this(client, timeout, ownsClient: false)
    {
    }

    private FramedValueReader(ISchemaRegistryClient client, TimeSpan timeout, bool ownsClient)
    {
        ArgumentNullException.ThrowIfNull(client);
        (_client, _timeout, _ownsClient) = (client, timeout, ownsClient);
    }

    /// <summary>A reader over its own client of <paramref name="settings"/>' registry.</summary>
    public static FramedValueReader Create(SchemaRegistrySettings settings) => new(settings.CreateClient(), settings.RequestTimeout, ownsClient: true);

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    /// <summary>
    /// The JSON of framed <paramref name="value"/>, or why it cannot be read. The first value of a schema id waits for
    /// the registry's answer (at most the request timeout); later ones find the schema in memory.
    /// </summary>
    public UnframedValue Unframe(byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length < ConfluentWireFormat.HeaderLength)
        {
            return UnframedValue.Rejected(string.Create(CultureInfo.InvariantCulture,
                $"a framed value of {value.Length} bytes, shorter than the {ConfluentWireFormat.HeaderLength}-byte Confluent header"));
        }

        var id = ConfluentWireFormat.SchemaId(value);
        var known = SchemaOf(id);
        if (known.Rejection is { } rejection)
        {
            return UnframedValue.Rejected(rejection);
        }

        var json = value[ConfluentWireFormat.HeaderLength..];
        try
        {
            using var document = JsonDocument.Parse(json);
            var result = known.Schema!.Evaluate(document.RootElement, Evaluation);
            return result.IsValid
                ? UnframedValue.Of(json)
                : UnframedValue.Rejected(string.Create(CultureInfo.InvariantCulture, $"the record fails its schema (id {id}): {Errors(result)}"));
        }
        catch (JsonException error)
        {
            return UnframedValue.Rejected(string.Create(CultureInfo.InvariantCulture, $"the framed value (schema id {id}) is not JSON: {error.Message}"));
        }
    }

    private KnownSchema SchemaOf(int id)
    {
        var lookup = _schemas.GetOrAdd(id, key => new Lazy<Task<KnownSchema>>(() => LookupAsync(key)));
        try
        {
            return lookup.Value.WaitAsync(_timeout).GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            // The registry failed, not the record: the next record of this id asks again.
            _schemas.TryRemove(KeyValuePair.Create(id, lookup));
            throw;
        }
    }

    private async Task<KnownSchema> LookupAsync(int id)
    {
        Confluent.SchemaRegistry.Schema registered;
        try
        {
            registered = await _client.GetSchemaAsync(id).ConfigureAwait(false);
        }
        catch (SchemaRegistryException error) when (error.Status == HttpStatusCode.NotFound)
        {
            return KnownSchema.Unknown(string.Create(CultureInfo.InvariantCulture,
                $"unknown schema id {id}: the registry answered 404 ({error.ErrorCode}: {error.Message})"));
        }

        if (registered.SchemaType != SchemaType.Json)
        {
            return KnownSchema.Unknown(string.Create(CultureInfo.InvariantCulture,
                $"schema id {id} is a {registered.SchemaType} schema; Aero reads JSON Schema records only"));
        }

        try
        {
            // Each schema in its own JSON Schema registry: two versions may well share one $id.
            return new KnownSchema(JsonSchema.FromText(registered.SchemaString, new BuildOptions { SchemaRegistry = new Json.Schema.SchemaRegistry() }), null);
        }
        catch (Exception error) when (error is JsonException or ArgumentException or InvalidOperationException)
        {
            return KnownSchema.Unknown(string.Create(CultureInfo.InvariantCulture, $"schema id {id} is not a JSON Schema Aero can read: {error.Message}"));
        }
    }

    private static string Errors(EvaluationResults result)
    {
        var errors = (result.Details ?? [])
            .Where(detail => detail.Errors is { Count: > 0 })
            .SelectMany(detail => detail.Errors!.Select(error => $"{(detail.InstanceLocation.ToString() is { Length: > 0 } at ? at : "/")}: {error.Value}"))
            .Take(ErrorsShown)
            .ToList();
        return errors.Count > 0 ? string.Join("; ", errors) : "invalid";
    }

    private sealed record KnownSchema(JsonSchema? Schema, string? Rejection)
    {
        public static KnownSchema Unknown(string reason) => new(null, reason);
    }
}
