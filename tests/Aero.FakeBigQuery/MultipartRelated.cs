using System.Text;
using Microsoft.Net.Http.Headers;

namespace Aero.FakeBigQuery;

/// <summary>Splits a <c>multipart/related</c> upload (Job JSON, then the media) into its parts' bodies.</summary>
internal static class MultipartRelated
{
    public static List<byte[]> Parts(string contentType, byte[] body)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/related", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 } boundary)
        {
            throw BigQueryException.Invalid("uploadType=multipart needs Content-Type: multipart/related; boundary=...");
        }

        // Latin-1 maps bytes 1:1 to chars, so string offsets are byte offsets.
        var text = Encoding.Latin1.GetString(body);
        var delimiter = "--" + boundary;
        var parts = new List<byte[]>();
        var at = text.IndexOf(delimiter, StringComparison.Ordinal);
        while (at >= 0)
        {
            var start = at + delimiter.Length;
            if (text.AsSpan(start).StartsWith("--"))
            {
                break;
            }

            var next = text.IndexOf(delimiter, start, StringComparison.Ordinal);
            if (next < 0)
            {
                break;
            }

            var part = text[start..next];
            var headersEnd = part.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var separator = 4;
            if (headersEnd < 0)
            {
                headersEnd = part.IndexOf("\n\n", StringComparison.Ordinal);
                separator = 2;
            }

            if (headersEnd >= 0)
            {
                var content = part[(headersEnd + separator)..];
                content = content.EndsWith("\r\n", StringComparison.Ordinal) ? content[..^2] : content.EndsWith('\n') ? content[..^1] : content;
                parts.Add(Encoding.Latin1.GetBytes(content));
            }

            at = next;
        }

        if (parts.Count != 2)
        {
            throw BigQueryException.Invalid($"A multipart upload needs two parts (Job JSON, then the data); got {parts.Count}.");
        }

        return parts;
    }
}
