using System.Text;

namespace Aero.FakeBigQuery;

/// <summary>RFC 4180 records (quoted fields, doubled quotes, embedded newlines) with each record's byte position.</summary>
internal static class CsvReader
{
    public static List<(long Position, List<string> Values)> Parse(string text, char delimiter)
    {
        var records = new List<(long, List<string>)>();
        var values = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == delimiter)
            {
                values.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n')
            {
                values.Add(field.ToString().TrimEnd('\r'));
                field.Clear();
                if (values.Count > 1 || values[0].Length > 0)
                {
                    records.Add((Encoding.UTF8.GetByteCount(text.AsSpan(0, start)), values));
                }

                values = [];
                start = i + 1;
            }
            else
            {
                field.Append(c);
            }
        }

        if (field.Length > 0 || values.Count > 0)
        {
            values.Add(field.ToString().TrimEnd('\r'));
            records.Add((Encoding.UTF8.GetByteCount(text.AsSpan(0, start)), values));
        }

        return records;
    }
}
