using System.Text;
using System.Text.Json;

namespace Aero.Node.Hosting;

/// <summary>
/// Standard output of a node that logs JSON lines. Before its loggers start and after they stop, Akka writes its own
/// lines there in a format of its own ("[INFO][time][thread][source] message"); a collector reading JSON lines would
/// take them for garbage. Such a line goes out as one JSON object with its severity and the whole line as message;
/// JSON lines pass as they are.
/// </summary>
public sealed class JsonLinesWriter(TextWriter inner) : TextWriter
{
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        if (value == '\n')
        {
            WriteLine(_line.ToString().TrimEnd('\r'));
            _line.Clear();
        }
        else
        {
            _line.Append(value);
        }
    }

    public override void Flush()
    {
        if (_line.Length > 0)
        {
            WriteLine(_line.ToString());
            _line.Clear();
        }

        inner.Flush();
    }

    private new void WriteLine(string line)
    {
        if (line.Length == 0 || line.StartsWith('{'))
        {
            inner.WriteLine(line);
            return;
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("severity", Severity(line));
            json.WriteString("time", DateTime.UtcNow);
            json.WriteString("message", line);
            json.WriteString("source", "akka (standard output)");
            json.WriteEndObject();
        }

        inner.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static string Severity(string line) =>
        line.StartsWith("[ERROR]", StringComparison.Ordinal) ? "ERROR"
        : line.StartsWith("[WARNING]", StringComparison.Ordinal) ? "WARNING"
        : line.StartsWith("[INFO]", StringComparison.Ordinal) ? "INFO"
        : line.StartsWith("[DEBUG]", StringComparison.Ordinal) ? "DEBUG"
        : "DEFAULT";
}
