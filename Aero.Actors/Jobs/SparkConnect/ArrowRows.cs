using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Ipc;

namespace Aero.Actors.Jobs.SparkConnect;

/// <summary>
/// Decodes Spark Connect's Arrow payloads: each is a complete Arrow IPC stream (schema, batches, end of stream), read
/// into rows of .NET values. Every payload of one result must carry the same schema.
/// </summary>
internal sealed class ArrowRows
{
    private readonly List<IReadOnlyList<object?>> _rows = [];

    public Schema? Schema { get; private set; }

    public IReadOnlyList<IReadOnlyList<object?>> Rows => _rows;

    /// <summary>Reads one IPC stream; returns how many rows it held.</summary>
    public long Add(ReadOnlyMemory<byte> ipcStream)
    {
        using var reader = new ArrowStreamReader(ipcStream);
        long rows = 0;
        while (reader.ReadNextRecordBatch() is { } batch)
        {
            using (batch)
            {
                CheckSchema(batch.Schema);
                for (var row = 0; row < batch.Length; row++)
                {
                    var values = new object?[batch.ColumnCount];
                    for (var column = 0; column < batch.ColumnCount; column++)
                    {
                        values[column] = Value(batch.Column(column), row);
                    }

                    _rows.Add(values);
                }

                rows += batch.Length;
            }
        }

        CheckSchema(reader.Schema);
        return rows;
    }

    private void CheckSchema(Schema schema)
    {
        if (Schema is null)
        {
            Schema = schema;
            return;
        }

        var same = Schema.FieldsList.Count == schema.FieldsList.Count
            && Schema.FieldsList.Zip(schema.FieldsList).All(pair => pair.First.Name == pair.Second.Name && pair.First.DataType.TypeId == pair.Second.DataType.TypeId);
        if (!same)
        {
            throw new InvalidDataException($"Spark Connect sent Arrow batches with different schemas: ({Describe(Schema)}) then ({Describe(schema)}).");
        }
    }

    private static string Describe(Schema schema) => string.Join(", ", schema.FieldsList.Select(field => $"{field.Name} {field.DataType.Name}"));

    private static object? Value(IArrowArray array, int index) => array.IsNull(index) ? null : array switch
    {
        BooleanArray a => a.GetValue(index),
        Int8Array a => a.GetValue(index),
        Int16Array a => a.GetValue(index),
        Int32Array a => a.GetValue(index),
        Int64Array a => a.GetValue(index),
        UInt8Array a => a.GetValue(index),
        UInt16Array a => a.GetValue(index),
        UInt32Array a => a.GetValue(index),
        UInt64Array a => a.GetValue(index),
        FloatArray a => a.GetValue(index),
        DoubleArray a => a.GetValue(index),
        Decimal128Array a => a.GetValue(index),
        StringArray a => a.GetString(index),
        LargeStringArray a => a.GetString(index),
        BinaryArray a => a.GetBytes(index).ToArray(),
        LargeBinaryArray a => a.GetBytes(index).ToArray(),
        Date32Array a => a.GetDateOnly(index),
        Date64Array a => a.GetDateOnly(index),
        TimestampArray a => a.GetTimestamp(index),
        _ => throw new InvalidDataException(
            string.Create(CultureInfo.InvariantCulture, $"Spark Connect sent an Arrow column of type {array.Data.DataType.Name}, which Aero does not read.")),
    };
}
