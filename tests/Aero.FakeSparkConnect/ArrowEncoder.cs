using System.Globalization;
using System.Numerics;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;

namespace Aero.FakeSparkConnect;

/// <summary>
/// Rows of a DuckDB result as one complete Arrow IPC stream (schema, one record batch, end of stream), the form Spark
/// Connect puts in each ArrowBatch and LocalRelation. Integers wider than 64 bits (DuckDB's HUGEINT sums) become
/// Spark's bigint.
/// </summary>
internal static class ArrowEncoder
{
    public static byte[] Encode(IReadOnlyList<string> names, IReadOnlyList<Type> types, IReadOnlyList<object?[]> rows)
    {
        var fields = new List<Field>(names.Count);
        var columns = new List<IArrowArray>(names.Count);
        for (var column = 0; column < names.Count; column++)
        {
            var values = rows.Select(row => row[column] is DBNull ? null : row[column]).ToList();
            var array = Column(types[column], values);
            fields.Add(new Field(names[column], array.Data.DataType, nullable: true));
            columns.Add(array);
        }

        var schema = new Schema(fields, null);
        using var batch = new RecordBatch(schema, columns, rows.Count);
        using var stream = new MemoryStream();
        using (var writer = new ArrowStreamWriter(stream, schema, leaveOpen: true))
        {
            writer.WriteRecordBatch(batch);
            writer.WriteEnd();
        }

        return stream.ToArray();
    }

    private static IArrowArray Column(Type type, List<object?> values)
    {
        if (type == typeof(bool))
        {
            return Build(new BooleanArray.Builder(), values, (b, v) => b.Append((bool)v), b => b.AppendNull(), b => b.Build());
        }

        if (type == typeof(int) || type == typeof(short) || type == typeof(sbyte) || type == typeof(byte) || type == typeof(ushort))
        {
            return Build(new Int32Array.Builder(), values, (b, v) => b.Append(Convert.ToInt32(v, CultureInfo.InvariantCulture)), b => b.AppendNull(), b => b.Build());
        }

        if (type == typeof(long) || type == typeof(uint) || type == typeof(ulong) || type == typeof(BigInteger))
        {
            return Build(new Int64Array.Builder(), values, (b, v) => b.Append(v is BigInteger big ? (long)big : Convert.ToInt64(v, CultureInfo.InvariantCulture)), b => b.AppendNull(), b => b.Build());
        }

        if (type == typeof(float) || type == typeof(double))
        {
            return Build(new DoubleArray.Builder(), values, (b, v) => b.Append(Convert.ToDouble(v, CultureInfo.InvariantCulture)), b => b.AppendNull(), b => b.Build());
        }

        if (type == typeof(decimal))
        {
            var scale = values.OfType<decimal>().Select(d => (int)d.Scale).DefaultIfEmpty(0).Max();
            return Build(new Decimal128Array.Builder(new Decimal128Type(38, scale)), values, (b, v) => b.Append((decimal)v), b => b.AppendNull(), b => b.Build());
        }

        if (type == typeof(DateTime))
        {
            var timestamp = new TimestampType(TimeUnit.Microsecond, "UTC");
            return Build(new TimestampArray.Builder(timestamp), values, (b, v) => b.Append(new DateTimeOffset(DateTime.SpecifyKind((DateTime)v, DateTimeKind.Utc))), b => b.AppendNull(), b => b.Build());
        }

        if (type == typeof(DateOnly))
        {
            return Build(new Date32Array.Builder(), values, (b, v) => b.Append((DateOnly)v), b => b.AppendNull(), b => b.Build());
        }

        if (type == typeof(byte[]))
        {
            return Build(new BinaryArray.Builder(), values, (b, v) => b.Append(((byte[])v).AsSpan()), b => b.AppendNull(), b => b.Build());
        }

        return Build(new StringArray.Builder(), values, (b, v) => b.Append(Convert.ToString(v, CultureInfo.InvariantCulture)), b => b.AppendNull(), b => b.Build());
    }

    private static IArrowArray Build<TBuilder>(TBuilder builder, List<object?> values, Action<TBuilder, object> append, Action<TBuilder> appendNull, Func<TBuilder, IArrowArray> build)
    {
        foreach (var value in values)
        {
            if (value is null)
            {
                appendNull(builder);
            }
            else
            {
                append(builder, value);
            }
        }

        return build(builder);
    }
}
