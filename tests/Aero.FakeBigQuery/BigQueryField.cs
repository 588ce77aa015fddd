using System.Text.Json.Nodes;

namespace Aero.FakeBigQuery;

/// <summary>
/// A column of a table schema (<c>TableFieldSchema</c>), with the type as the client wrote it (INTEGER or INT64 are
/// both echoed back as sent) and its canonical form for conversion. RECORD/STRUCT and RANGE are not supported.
/// </summary>
internal sealed record BigQueryField(string Name, string Type, string Mode, string? Description)
{
    private static readonly Dictionary<string, string> Canonical = new(StringComparer.OrdinalIgnoreCase)
    {
        ["STRING"] = "STRING",
        ["BYTES"] = "BYTES",
        ["INTEGER"] = "INTEGER",
        ["INT64"] = "INTEGER",
        ["FLOAT"] = "FLOAT",
        ["FLOAT64"] = "FLOAT",
        ["BOOLEAN"] = "BOOLEAN",
        ["BOOL"] = "BOOLEAN",
        ["TIMESTAMP"] = "TIMESTAMP",
        ["DATE"] = "DATE",
        ["TIME"] = "TIME",
        ["DATETIME"] = "DATETIME",
        ["NUMERIC"] = "NUMERIC",
        ["BIGNUMERIC"] = "BIGNUMERIC",
        ["JSON"] = "JSON",
        ["GEOGRAPHY"] = "GEOGRAPHY",
    };

    public string CanonicalType => Canonical[Type];

    public bool IsRequired => Mode == "REQUIRED";

    public bool IsRepeated => Mode == "REPEATED";

    /// <summary>The DuckDB column type that holds this field's values.</summary>
    public string DuckDbType
    {
        get
        {
            var scalar = CanonicalType switch
            {
                "STRING" or "GEOGRAPHY" => "VARCHAR",
                "BYTES" => "BLOB",
                "INTEGER" => "BIGINT",
                "FLOAT" => "DOUBLE",
                "BOOLEAN" => "BOOLEAN",
                "TIMESTAMP" => "TIMESTAMPTZ",
                "DATE" => "DATE",
                "TIME" => "TIME",
                "DATETIME" => "TIMESTAMP",
                "NUMERIC" or "BIGNUMERIC" => "DECIMAL(38,9)",
                "JSON" => "JSON",
                _ => throw new InvalidOperationException(Type),
            };
            return IsRepeated ? scalar + "[]" : scalar;
        }
    }

    public static List<BigQueryField> ParseSchema(JsonNode? schema)
    {
        var fields = new List<BigQueryField>();
        if (schema?["fields"] is not JsonArray array)
        {
            return fields;
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var node in array)
        {
            var field = Parse(node);
            if (!names.Add(field.Name))
            {
                throw BigQueryException.Invalid($"Field {field.Name} already exists in schema");
            }

            fields.Add(field);
        }

        return fields;
    }

    public static BigQueryField Parse(JsonNode? node)
    {
        var name = node?["name"]?.GetValue<string>() ?? throw BigQueryException.Invalid("Field name is required.");
        if (name.Length is 0 or > 300 || !(char.IsAsciiLetter(name[0]) || name[0] == '_')
            || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw BigQueryException.Invalid(
                $"Invalid field name \"{name}\". Fields must contain only letters, numbers, and underscores, start with a letter or underscore, and be at most 300 characters long.");
        }

        var type = node!["type"]?.GetValue<string>()?.ToUpperInvariant() ?? throw BigQueryException.Invalid($"Field {name} has no type.");
        if (type is "RECORD" or "STRUCT" or "RANGE")
        {
            throw BigQueryException.Invalid($"Field {name}: type {type} is not supported by the fake BigQuery.");
        }

        if (!Canonical.ContainsKey(type))
        {
            throw BigQueryException.Invalid($"Invalid value for type: {type} is not a valid value");
        }

        var mode = node["mode"]?.GetValue<string>()?.ToUpperInvariant() ?? "NULLABLE";
        if (mode is not ("NULLABLE" or "REQUIRED" or "REPEATED"))
        {
            throw BigQueryException.Invalid($"Invalid value for mode: {mode} is not a valid value");
        }

        return new BigQueryField(name, type, mode, node["description"]?.GetValue<string>());
    }

    /// <summary>A field for a column of a query result or a DDL-made table, from its DuckDB type.</summary>
    public static BigQueryField FromDuckDb(string name, string duckType, bool nullable)
    {
        var repeated = duckType.EndsWith("[]", StringComparison.Ordinal);
        var scalar = repeated ? duckType[..^2] : duckType;
        var type = scalar.ToUpperInvariant() switch
        {
            "BIGINT" or "INTEGER" or "SMALLINT" or "TINYINT" or "HUGEINT" or "UBIGINT" or "UINTEGER" or "USMALLINT" or "UTINYINT" => "INTEGER",
            "DOUBLE" or "FLOAT" or "REAL" => "FLOAT",
            "BOOLEAN" => "BOOLEAN",
            "DATE" => "DATE",
            "TIME" => "TIME",
            "TIMESTAMP WITH TIME ZONE" => "TIMESTAMP",
            "TIMESTAMP" or "TIMESTAMP_NS" or "TIMESTAMP_MS" or "TIMESTAMP_S" => "DATETIME",
            "BLOB" => "BYTES",
            "JSON" => "JSON",
            var s when s.StartsWith("DECIMAL", StringComparison.Ordinal) => "NUMERIC",
            _ => "STRING",
        };
        return new BigQueryField(name, type, repeated ? "REPEATED" : nullable ? "NULLABLE" : "REQUIRED", null);
    }

    public JsonObject ToJson()
    {
        var json = new JsonObject { ["name"] = Name, ["type"] = Type, ["mode"] = Mode };
        if (Description is not null)
        {
            json["description"] = Description;
        }

        return json;
    }

    public static JsonObject SchemaJson(IEnumerable<BigQueryField> fields) =>
        new() { ["fields"] = new JsonArray([.. fields.Select(f => (JsonNode)f.ToJson())]) };
}
