using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Aero.Warehouse;
using Aero.Warehouse.BigQuery;
using Spectre.Console;

namespace Aero.Node.Commands;

/// <summary>
/// Prints a <see cref="QueryResult"/> as a table, RFC 4180 CSV or a JSON array of objects. Culture-invariant; times in
/// ISO 8601 (with Z when the warehouse says UTC); bytes in base64; SQL NULL as NULL, an empty field, or null.
/// </summary>
public static class QueryOutput
{
    public static void WriteTable(QueryResult result)
    {
        if (result.Columns.Count == 0)
        {
            return;
        }

        var table = new Table();
        foreach (var column in result.Columns)
        {
            table.AddColumn(new TableColumn(new Text(column.Name)));
        }

        foreach (var row in result.Rows)
        {
            table.AddRow(row.Select(value => value is null ? new Text("NULL", new Style(decoration: Decoration.Dim)) : new Text(Cell(value))));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"[dim]{result.Rows.Count} row(s)[/]");
    }

    public static void WriteCsv(QueryResult result, TextWriter output)
    {
        if (result.Columns.Count == 0)
        {
            return;
        }

        // RFC 4180: CRLF after every record, the header included.
        output.Write(string.Join(',', result.Columns.Select(c => CsvField(c.Name))) + "\r\n");
        foreach (var row in result.Rows)
        {
            output.Write(string.Join(',', row.Select(value => value is null ? "" : CsvField(Cell(value)))) + "\r\n");
        }

        output.Flush();
    }

    public static void WriteJson(QueryResult result, Stream output)
    {
        // Relaxed: the output is read by tools and people, not embedded in HTML, so quotes stay quotes.
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartArray();
        foreach (var row in result.Rows)
        {
            json.WriteStartObject();
            for (var i = 0; i < result.Columns.Count; i++)
            {
                json.WritePropertyName(result.Columns[i].Name);
                if (row[i] is string text && IsJson(result.Columns[i].Type))
                {
                    // A JSON column's text is JSON already: nest it rather than quote it.
                    json.WriteRawValue(text);
                }
                else
                {
                    WriteJsonValue(json, row[i]);
                }
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.Flush();
        output.Write("\n"u8);
    }

    /// <summary>A value as text: the same for the table and CSV.</summary>
    public static string Cell(object value) => value switch
    {
        string text => text,
        bool flag => flag ? "true" : "false",
        DateTime time => time.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        TimeOnly time => time.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToBase64String(bytes),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items => JsonText(items),
        _ => value.ToString() ?? "",
    };

    private static bool IsJson(string type) => type.Equals("json", StringComparison.OrdinalIgnoreCase) || type.Equals("jsonb", StringComparison.OrdinalIgnoreCase);

    private static string CsvField(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static void WriteJsonValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case bool flag:
                json.WriteBooleanValue(flag);
                break;
            case sbyte or byte or short or ushort or int or uint or long:
                json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong number:
                json.WriteNumberValue(number);
                break;
            case BigInteger number:
                // DuckDB's HUGEINT (sum of BIGINTs): exact, as JSON numbers have no size limit.
                json.WriteRawValue(number.ToString(CultureInfo.InvariantCulture));
                break;
            case decimal number:
                json.WriteNumberValue(number);
                break;
            case double number when double.IsFinite(number):
                json.WriteNumberValue(number);
                break;
            case float number when float.IsFinite(number):
                json.WriteNumberValue(number);
                break;
            case byte[] bytes:
                json.WriteBase64StringValue(bytes);
                break;
            case IEnumerable items and not string:
                json.WriteStartArray();
                foreach (var item in items)
                {
                    WriteJsonValue(json, item);
                }

                json.WriteEndArray();
                break;
            default:
                json.WriteStringValue(Cell(value));
                break;
        }
    }

    private static string JsonText(IEnumerable items)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            WriteJsonValue(json, items);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
