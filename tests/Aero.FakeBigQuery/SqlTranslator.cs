using System.Globalization;
using System.Text;

namespace Aero.FakeBigQuery;

/// <summary>
/// A small, token-level GoogleSQL → DuckDB translation; see README.md for what it covers. Anything it does not
/// rewrite reaches DuckDB as written, so unsupported GoogleSQL fails as a 400 <c>invalidQuery</c>, never silently.
/// </summary>
internal static class SqlTranslator
{
    private static readonly Dictionary<string, string> TypeNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["INT64"] = "BIGINT",
        ["FLOAT64"] = "DOUBLE",
        ["BYTES"] = "BLOB",
        ["NUMERIC"] = "DECIMAL(38,9)",
        ["BIGNUMERIC"] = "DECIMAL(38,9)",
        ["DATETIME"] = "TIMESTAMP",
        ["TIMESTAMP"] = "TIMESTAMPTZ",
        ["SAFE_CAST"] = "TRY_CAST",
    };

    // GoogleSQL functions whose DuckDB counterpart differs: macros of the fake's DuckDB (Warehouse) under these names.
    private static readonly Dictionary<string, string> Functions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["TIMESTAMP_TRUNC"] = "bq_timestamp_trunc",
        ["TIMESTAMP_ADD"] = "bq_timestamp_add",
        ["TIMESTAMP_DIFF"] = "bq_timestamp_diff",
    };

    private static readonly HashSet<string> DateParts = new(StringComparer.OrdinalIgnoreCase)
    {
        "MICROSECOND", "MILLISECOND", "SECOND", "MINUTE", "HOUR", "DAY", "WEEK", "MONTH", "QUARTER", "YEAR",
    };

    /// <param name="sql">GoogleSQL text.</param>
    /// <param name="parameter">The SQL literal for a named (<c>@name</c>) or positional (<c>?</c>, by index) query parameter.</param>
    public static string Translate(string sql, Func<string?, int, string> parameter)
    {
        var output = new StringBuilder(sql.Length + 16);
        var positional = 0;
        var i = 0;
        var previousToken = string.Empty;
        // The word before each open parenthesis: which function's arguments the text is in.
        var calls = new Stack<string>();
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c == '-' && At(sql, i + 1, '-') || c == '#')
            {
                var end = sql.IndexOf('\n', i);
                end = end < 0 ? sql.Length : end;
                output.Append("--").Append(sql, i + (c == '#' ? 1 : 2), end - i - (c == '#' ? 1 : 2));
                i = end;
            }
            else if (c == '/' && At(sql, i + 1, '*'))
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? sql.Length : end + 2;
                output.Append(sql, i, end - i);
                i = end;
            }
            else if (c is '\'' or '"' || (c is 'r' or 'R' && (At(sql, i + 1, '\'') || At(sql, i + 1, '"')) && !IsWordChar(Before(sql, i))))
            {
                var raw = c is 'r' or 'R';
                i = ReadString(sql, raw ? i + 1 : i, raw, out var content);
                output.Append('\'').Append(content.Replace("'", "''", StringComparison.Ordinal)).Append('\'');
                previousToken = "'";
            }
            else if (c == '`')
            {
                var end = sql.IndexOf('`', i + 1);
                if (end < 0)
                {
                    throw BigQueryException.InvalidQuery("Syntax error: Unclosed identifier literal");
                }

                // `project.dataset.table` names one object per dot; DuckDB wants each part quoted on its own.
                var parts = sql[(i + 1)..end].Split('.');
                output.AppendJoin('.', parts.Select(p => "\"" + p.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));
                i = end + 1;
                previousToken = "`";
            }
            else if (c == '@' && i + 1 < sql.Length && IsWordChar(sql[i + 1]) && !At(sql, i + 1, '@'))
            {
                var start = ++i;
                while (i < sql.Length && IsWordChar(sql[i]))
                {
                    i++;
                }

                output.Append(parameter(sql[start..i], -1));
                previousToken = "@";
            }
            else if (c == '?')
            {
                output.Append(parameter(null, positional++));
                i++;
                previousToken = "?";
            }
            else if (IsWordChar(c) && !char.IsAsciiDigit(c))
            {
                var start = i;
                while (i < sql.Length && IsWordChar(sql[i]))
                {
                    i++;
                }

                var word = sql[start..i];
                var next = NextNonSpace(sql, i);
                if (word.Equals("EXCEPT", StringComparison.OrdinalIgnoreCase) && previousToken == "*")
                {
                    output.Append("EXCLUDE");
                }
                else if (word.ToUpperInvariant() is "CURRENT_TIMESTAMP" or "CURRENT_DATE" && next == '(' && NextNonSpace(sql, sql.IndexOf('(', i) + 1) == ')')
                {
                    // GoogleSQL's CURRENT_TIMESTAMP() is DuckDB's bare current_timestamp.
                    output.Append(word);
                    i = sql.IndexOf(')', i) + 1;
                }
                else if (TypeNames.TryGetValue(word, out var duck) && (next != '(' || word.Equals("SAFE_CAST", StringComparison.OrdinalIgnoreCase)))
                {
                    output.Append(duck);
                }
                else if (Functions.TryGetValue(word, out var macro) && next == '(')
                {
                    output.Append(macro);
                }
                else if (DateParts.Contains(word) && previousToken == "," && next == ')' && calls.TryPeek(out var call) && Functions.ContainsKey(call))
                {
                    // TIMESTAMP_TRUNC(ts, HOUR): the date part is a keyword in GoogleSQL, a text argument in DuckDB.
                    output.Append('\'').Append(word.ToLowerInvariant()).Append('\'');
                }
                else
                {
                    output.Append(word);
                }

                previousToken = word;
            }
            else
            {
                if (c == '(')
                {
                    calls.Push(previousToken);
                }
                else if (c == ')')
                {
                    calls.TryPop(out _);
                }

                output.Append(c);
                if (!char.IsWhiteSpace(c))
                {
                    previousToken = c.ToString();
                }

                i++;
            }
        }

        return output.ToString();
    }

    /// <summary>The statement's leading keywords, upper-cased, comments skipped: "SELECT", "CREATE OR REPLACE VIEW", ...</summary>
    public static string[] LeadingWords(string sql, int count)
    {
        var words = new List<string>();
        var i = 0;
        while (i < sql.Length && words.Count < count)
        {
            if (CommentEnd(sql, i) is var comment && comment > i)
            {
                i = comment;
            }
            else if (char.IsAsciiLetter(sql[i]))
            {
                var start = i;
                while (i < sql.Length && IsWordChar(sql[i]))
                {
                    i++;
                }

                words.Add(sql[start..i].ToUpperInvariant());
            }
            else if (sql[i] is '(' || char.IsWhiteSpace(sql[i]))
            {
                i++;
            }
            else
            {
                break;
            }
        }

        return [.. words];
    }

    /// <summary>
    /// A script's statements: the text split at each top-level <c>;</c> (not inside a string, quoted name or
    /// comment), blank ones dropped.
    /// </summary>
    public static List<string> Statements(string sql)
    {
        var statements = new List<string>();
        var start = 0;
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (CommentEnd(sql, i) is var comment && comment > i)
            {
                i = comment;
            }
            else if (c is '\'' or '"' || (c is 'r' or 'R' && (At(sql, i + 1, '\'') || At(sql, i + 1, '"')) && !IsWordChar(Before(sql, i))))
            {
                var raw = c is 'r' or 'R';
                i = ReadString(sql, raw ? i + 1 : i, raw, out _);
            }
            else if (c == '`')
            {
                var end = sql.IndexOf('`', i + 1);
                i = end < 0 ? sql.Length : end + 1;
            }
            else if (c == ';')
            {
                statements.Add(sql[start..i]);
                start = ++i;
            }
            else
            {
                i++;
            }
        }

        statements.Add(sql[start..]);
        return [.. statements.Where(s => !IsBlank(s))];
    }

    private static int ReadString(string sql, int quoteAt, bool raw, out string content)
    {
        var quote = sql[quoteAt];
        var text = new StringBuilder();
        var i = quoteAt + 1;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c == quote)
            {
                content = text.ToString();
                return i + 1;
            }

            if (c == '\\' && !raw && i + 1 < sql.Length)
            {
                var escaped = sql[i + 1];
                text.Append(escaped switch
                {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    '0' => '\0',
                    _ => escaped,
                });
                i += 2;
                continue;
            }

            text.Append(c);
            i++;
        }

        throw BigQueryException.InvalidQuery(string.Create(CultureInfo.InvariantCulture, $"Syntax error: Unclosed string literal at [1:{quoteAt + 1}]"));
    }

    /// <summary>Only whitespace and comments.</summary>
    private static bool IsBlank(string sql)
    {
        var i = 0;
        while (i < sql.Length)
        {
            if (CommentEnd(sql, i) is var comment && comment > i)
            {
                i = comment;
            }
            else if (char.IsWhiteSpace(sql[i]))
            {
                i++;
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Where a comment starting at <paramref name="i"/> ends; <paramref name="i"/> when none starts there.</summary>
    private static int CommentEnd(string sql, int i)
    {
        if (sql[i] == '-' && At(sql, i + 1, '-') || sql[i] == '#')
        {
            var end = sql.IndexOf('\n', i);
            return end < 0 ? sql.Length : end;
        }

        if (sql[i] == '/' && At(sql, i + 1, '*'))
        {
            var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
            return end < 0 ? sql.Length : end + 2;
        }

        return i;
    }

    private static bool At(string s, int i, char c) => i < s.Length && s[i] == c;

    private static char Before(string s, int i) => i > 0 ? s[i - 1] : ' ';

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static char NextNonSpace(string s, int i)
    {
        while (i < s.Length && char.IsWhiteSpace(s[i]))
        {
            i++;
        }

        return i < s.Length ? s[i] : '\0';
    }
}
