using System.CommandLine;

namespace Aero.Node.Commands;

/// <summary><c>aero query</c>: SQL against the configured warehouse.</summary>
public static class QueryCommand
{
    public static Command Create()
    {
        var sql = new Argument<string>("sql") { Description = "The SQL to run, in the warehouse's own dialect (tables: flights_raw, dlq, _aero_offsets)" };
        var format = new Option<string>("--format") { Description = "table (default), csv (RFC 4180 with a header) or json (an array of objects)", DefaultValueFactory = _ => "table" };
        var config = new Option<string?>("--config") { Description = "HOCON configuration file (default: hocon/aero.conf beside aero)" };
        var kind = new Option<string?>("--warehouse-kind") { Description = "duckdb, postgres or bigquery (default: aero.warehouse.kind)" };
        format.AcceptOnlyFromAmong("table", "csv", "json");
        kind.AcceptOnlyFromAmong("duckdb", "postgres", "bigquery");

        var command = new Command("query", "Run SQL against the warehouse and print the result");
        command.Arguments.Add(sql);
        foreach (var option in new Option[] { format, config, kind })
        {
            command.Options.Add(option);
        }

        command.SetAction((result, cancellation) => QueryJob.ExecuteAsync(
            new QueryOptions(result.GetValue(sql)!, Enum.Parse<QueryFormat>(result.GetValue(format)!, ignoreCase: true), result.GetValue(config), result.GetValue(kind)),
            cancellation));
        return command;
    }
}
