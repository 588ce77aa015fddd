using System.Text.Json;
using Confluent.SchemaRegistry;

namespace Aero.Streams.Schema;

/// <summary>
/// Frames a topic's values (<see cref="ConfluentWireFormat"/>) with the id its schema has under its subject: resolved
/// once, when the producer starts (registered, after setting the subject's compatibility level, when
/// <c>auto-register</c> is on; looked up otherwise), so producing a record asks the registry nothing. The bytes are the
/// ones Confluent's JSON serializer writes for the same id and JSON.
/// </summary>
public sealed class FramedValueWriter
{
    private readonly byte[] _header;

    private FramedValueWriter(string subject, int schemaId)
    {
        (Subject, SchemaId) = (subject, schemaId);
        _header = ConfluentWireFormat.Header(schemaId);
    }

    public string Subject { get; }

    public int SchemaId { get; }

    /// <summary>The writer for <paramref name="topic"/>'s values of <paramref name="schema"/> (a JSON Schema's text).</summary>
    public static async Task<FramedValueWriter> CreateAsync(
        ISchemaRegistryClient client, SchemaRegistrySettings settings, string topic, string schema, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(settings);
        var registered = new Confluent.SchemaRegistry.Schema(schema, SchemaType.Json);
        var subject = SubjectOf(settings.SubjectNameStrategy, topic, schema);
        try
        {
            if (!settings.AutoRegister)
            {
                var found = await client.LookupSchemaAsync(subject, registered, ignoreDeletedSchemas: true).WaitAsync(cancellation).ConfigureAwait(false);
                return new FramedValueWriter(subject, found.Id);
            }

            if (settings.Compatibility is { } level)
            {
                await client.UpdateCompatibilityAsync(level, subject).WaitAsync(cancellation).ConfigureAwait(false);
            }

            return new FramedValueWriter(subject, await client.RegisterSchemaAsync(subject, registered).WaitAsync(cancellation).ConfigureAwait(false));
        }
        catch (SchemaRegistryException error)
        {
            var what = settings.AutoRegister
                ? $"registering the schema of {topic} under subject \"{subject}\" failed"
                : $"the schema of {topic} is not registered under subject \"{subject}\" (aero.schema-registry.auto-register is off)";
            throw new InvalidOperationException($"Schema registry: {what}: {(int)error.Status} ({error.ErrorCode}) {error.Message}", error);
        }
    }

    /// <summary>A writer for <paramref name="topic"/> when <paramref name="settings"/> produce framed records, else null (plain JSON).</summary>
    public static async Task<FramedValueWriter?> ForTopicAsync(SchemaRegistrySettings settings, string topic, string schema, CancellationToken cancellation = default)
    {
        if (!settings.Produces)
        {
            return null;
        }

        using var client = settings.CreateClient();
        return await CreateAsync(client, settings, topic, schema, cancellation).ConfigureAwait(false);
    }

    /// <summary><paramref name="json"/> behind this writer's header.</summary>
    public byte[] Frame(ReadOnlySpan<byte> json)
    {
        var framed = new byte[_header.Length + json.Length];
        _header.CopyTo(framed, 0);
        json.CopyTo(framed.AsSpan(_header.Length));
        return framed;
    }

    /// <summary>The value subject as Confluent's serializers name it; a record's name is its schema's title.</summary>
    public static string SubjectOf(SubjectNameStrategy strategy, string topic, string schema) => strategy switch
    {
        SubjectNameStrategy.Topic => $"{topic}-value",
        SubjectNameStrategy.Record => TitleOf(schema),
        SubjectNameStrategy.TopicRecord => $"{topic}-{TitleOf(schema)}",
        _ => throw new ArgumentOutOfRangeException(nameof(strategy), strategy, "Aero names subjects by topic, record or topic-record."),
    };

    /// <summary>The record name Confluent's JSON serializer gives a schema: its title.</summary>
    private static string TitleOf(string schema)
    {
        using var document = JsonDocument.Parse(schema);
        return document.RootElement.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String
            ? title.GetString()!
            : throw new InvalidOperationException("The schema has no title, which subject naming by record needs.");
    }
}
