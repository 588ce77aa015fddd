using System.CommandLine;

namespace Aero.Node.Commands;

/// <summary><c>--format NAME</c> of <c>aero run</c> and <c>aero produce</c>: the file format, over <c>aero.extract.files.format</c>.</summary>
public static class FileFormatOption
{
    public static Option<string?> Create() => new("--format")
    {
        Description = "The input's layout: auto (by its header), or a format of aero.extract.files.formats such as bts, vega or canonical. Default: aero.extract.files.format",
    };
}
