using System.Buffers;
using System.Buffers.Binary;
using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Parquet;
using Parquet.Schema;

namespace Aero.Streams.Extract;

/// <summary>One column of the current Parquet row group, read by name, typed as the file stores it.</summary>
internal abstract class ParquetColumn(string name)
{
    public string Name { get; } = name;

    public abstract FieldValue Get(int row);

    public abstract void Write(Utf8JsonWriter writer, int row);

    /// <summary>
    /// Appends the row's value as the event id hashes it (docs/FLIGHT_RECORD.md): a tag, then 'n' for null, 's', the
    /// UTF-8 byte count (4 bytes, little-endian) and the text, 'd' and the number as a double, 't' and a date's UTC
    /// ticks, or 'o' for a value of a type no field takes. Typed as the record reads it, so an integer column rewritten
    /// as doubles keeps its ids.
    /// </summary>
    public virtual void AppendCanonical(ArrayBufferWriter<byte> into, int row) => AppendCanonical(into, Get(row));

    private static void AppendCanonical(ArrayBufferWriter<byte> into, FieldValue value)
    {
        switch (value.Kind)
        {
            case FieldKind.Number:
                into.Write("d"u8);
                BinaryPrimitives.WriteDoubleLittleEndian(into.GetSpan(8), value.Number);
                into.Advance(8);
                break;
            case FieldKind.Date:
                into.Write("t"u8);
                BinaryPrimitives.WriteInt64LittleEndian(into.GetSpan(8), value.Date.Ticks);
                into.Advance(8);
                break;
            case FieldKind.Text:
                AppendText(into, value.Text.AsSpan());
                break;
            case FieldKind.Other:
                into.Write("o"u8);
                break;
            default:
                into.Write("n"u8);
                break;
        }
    }

    private static void AppendText(ArrayBufferWriter<byte> into, ReadOnlySpan<char> text)
    {
        into.Write("s"u8);
        var span = into.GetSpan(4 + Encoding.UTF8.GetMaxByteCount(text.Length));
        var length = Encoding.UTF8.GetBytes(text, span[4..]);
        BinaryPrimitives.WriteInt32LittleEndian(span, length);
        into.Advance(4 + length);
    }

    /// <summary>
    /// The column. One of a type no flight field takes (lists, booleans, bytes, times of day...) is not read: each of
    /// its values is <see cref="FieldKind.Other"/>, so a record wanting it is rejected as the wrong type, never taken
    /// as missing.
    /// </summary>
    public static ParquetColumn Read(ParquetRowGroupReader group, DataField field, int rows, TextInterner interner, ParquetScratch scratch)
    {
        if (field.IsArray)
        {
            return new UnreadColumn(field.Name, "a Parquet list");
        }

        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        return type switch
        {
            _ when type == typeof(string) || type == typeof(ReadOnlyMemory<char>) => Text(group, field, rows, interner, scratch),
            _ when type == typeof(double) => Values<double>(group, field, rows, scratch, v => FieldValue.OfNumber(v), (w, v) => w.WriteNumberValue(v)),
            _ when type == typeof(float) => Values<float>(group, field, rows, scratch, v => FieldValue.OfNumber(v), (w, v) => w.WriteNumberValue(v)),
            _ when type == typeof(long) => Values<long>(group, field, rows, scratch, v => FieldValue.OfNumber(v), (w, v) => w.WriteNumberValue(v)),
            _ when type == typeof(int) => Values<int>(group, field, rows, scratch, v => FieldValue.OfNumber(v), (w, v) => w.WriteNumberValue(v)),
            _ when type == typeof(short) => Values<short>(group, field, rows, scratch, v => FieldValue.OfNumber(v), (w, v) => w.WriteNumberValue(v)),
            _ when type == typeof(sbyte) => Values<sbyte>(group, field, rows, scratch, v => FieldValue.OfNumber(v), (w, v) => w.WriteNumberValue(v)),
            _ when type == typeof(ulong) => Values<ulong>(group, field, rows, scratch, v => FieldValue.OfNumber(v), (w, v) => w.WriteNumberValue(v)),
            _ when type == typeof(uint) => Values<uint>(group, field, rows, scratch, v => FieldValue.OfNumber(v), (w, v) => w.WriteNumberValue(v)),
            _ when type == typeof(ushort) => Values<ushort>(group, field, rows, scratch, v => FieldValue.OfNumber(v), (w, v) => w.WriteNumberValue(v)),
            _ when type == typeof(byte) => Values<byte>(group, field, rows, scratch, v => FieldValue.OfNumber(v), (w, v) => w.WriteNumberValue(v)),
            _ when type == typeof(decimal) => Values<decimal>(group, field, rows, scratch, v => FieldValue.OfNumber((double)v), (w, v) => w.WriteNumberValue(v)),
            _ when type == typeof(DateTime) => Values<DateTime>(group, field, rows, scratch, v => FieldValue.OfDate(AsUtc(v)), (w, v) => w.WriteStringValue(AsUtc(v).ToString("O", CultureInfo.InvariantCulture))),
            _ when type == typeof(DateTimeOffset) => Values<DateTimeOffset>(group, field, rows, scratch, v => FieldValue.OfDate(v.UtcDateTime), (w, v) => w.WriteStringValue(v.ToString("O", CultureInfo.InvariantCulture))),
            _ when type == typeof(DateOnly) => Values<DateOnly>(group, field, rows, scratch, v => FieldValue.OfDate(v.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)), (w, v) => w.WriteStringValue(v.ToString("O", CultureInfo.InvariantCulture))),
            _ => new UnreadColumn(field.Name, $"a Parquet {type.Name}"),
        };
    }

    // Parquet.Net labels a timestamp without time zone as Local but keeps its wall-clock value; like vega's dates, it is UTC.
    private static DateTime AsUtc(DateTime value) => value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value, DateTimeKind.Utc);

    // Parquet.Net's reader is asynchronous; the source runs on the blocking-I/O dispatcher, where waiting is expected.
    // Read as characters, not strings: as strings, every row of a row group gets its own copy (272,727 per group of
    // vega's file), and they all outlive young-generation collections while the group is processed.
    private static TextColumn Text(ParquetRowGroupReader group, DataField field, int rows, TextInterner interner, ParquetScratch scratch)
    {
        var buffer = scratch.Rent<ReadOnlyMemory<char>?>(rows);
        group.ReadAsync<ReadOnlyMemory<char>>(field, buffer.AsMemory(0, rows), null).AsTask().GetAwaiter().GetResult();
        var (values, nulls) = Compact(buffer, rows);
        // Its characters are this group's; the scratch buffer must not keep them after it.
        Array.Clear(buffer, 0, rows);
        return new TextColumn(field.Name, values, nulls, interner);
    }

    private static ValueColumn<T> Values<T>(ParquetRowGroupReader group, DataField field, int rows, ParquetScratch scratch, Func<T, FieldValue> value, Action<Utf8JsonWriter, T> write)
        where T : struct
    {
        var buffer = scratch.Rent<T?>(rows);
        group.ReadAsync<T>(field, buffer.AsMemory(0, rows), null).AsTask().GetAwaiter().GetResult();
        var (values, nulls) = Compact(buffer, rows);
        return new ValueColumn<T>(field.Name, values, nulls, value, write);
    }

    // A nullable array takes 16 bytes a value (24 for text), and every group's arrays stay on the large-object heap
    // until a full collection: the values alone and a bit per row take half as much.
    private static (T[] Values, BitArray? Nulls) Compact<T>(T?[] buffer, int rows)
        where T : struct
    {
        var values = new T[rows];
        BitArray? nulls = null;
        for (var i = 0; i < rows; i++)
        {
            if (buffer[i] is { } value)
            {
                values[i] = value;
            }
            else
            {
                (nulls ??= new BitArray(rows))[i] = true;
            }
        }

        return (values, nulls);
    }

    private sealed class TextColumn(string name, ReadOnlyMemory<char>[] values, BitArray? nulls, TextInterner interner) : ParquetColumn(name)
    {
        public override FieldValue Get(int row) => nulls?[row] == true ? FieldValue.Null : FieldValue.OfText(interner.Intern(values[row].Span));

        // Straight from the characters: Get would intern them first.
        public override void AppendCanonical(ArrayBufferWriter<byte> into, int row)
        {
            if (nulls?[row] == true)
            {
                into.Write("n"u8);
            }
            else
            {
                AppendText(into, values[row].Span);
            }
        }

        public override void Write(Utf8JsonWriter writer, int row)
        {
            if (nulls?[row] == true)
            {
                writer.WriteNullValue();
            }
            else
            {
                writer.WriteStringValue(values[row].Span);
            }
        }
    }

    /// <summary>A column of a type no flight field takes; what it is, in place of each value.</summary>
    private sealed class UnreadColumn(string name, string what) : ParquetColumn(name)
    {
        public override FieldValue Get(int row) => new(FieldKind.Other, what);

        public override void Write(Utf8JsonWriter writer, int row) => writer.WriteStringValue($"({what}, not read)");
    }

    private sealed class ValueColumn<T>(string name, T[] values, BitArray? nulls, Func<T, FieldValue> value, Action<Utf8JsonWriter, T> write) : ParquetColumn(name)
        where T : struct
    {
        public override FieldValue Get(int row) => nulls?[row] == true ? FieldValue.Null : value(values[row]);

        public override void Write(Utf8JsonWriter writer, int row)
        {
            if (nulls?[row] == true)
            {
                writer.WriteNullValue();
                return;
            }

            var v = values[row];
            if (v is double d && !double.IsFinite(d))
            {
                // JSON has no NaN or infinity; the original says what the file held, the mapper rejects it.
                writer.WriteStringValue(d.ToString(CultureInfo.InvariantCulture));
            }
            else if (v is float f && !float.IsFinite(f))
            {
                writer.WriteStringValue(f.ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                write(writer, v);
            }
        }
    }
}
