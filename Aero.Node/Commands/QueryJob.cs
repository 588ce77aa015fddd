using System.Data.Common;
using Aero.Node.Configuration;
using Aero.Warehouse;

namespace Aero.Node.Commands;

/// <summary>Opens the configured warehouse, runs one SQL statement and prints its result set to stdout.</summary>
public static class QueryJob
{
    public static async Task<int> ExecuteAsync(QueryOptions options, CancellationToken cancellation)
    {
        var config = AeroConfiguration.Load(options.ConfigPath);
        if (options.WarehouseKind is not null)
        {
            config = AeroConfiguration.With(config, "aero.warehouse.kind", options.WarehouseKind);
        }

        QueryResult result;
        try
        {
            await using var warehouse = await Warehouses.OpenAsync(config, cancellation);
            result = await warehouse.QueryAsync(options.Sql, cancellation);
        }
        catch (Exception error) when (error is DbException or InvalidOperationException)
        {
            // Bad SQL or an unreachable warehouse is the operator's to fix: the message, on stderr, so stdout stays parseable.
            await Console.Error.WriteLineAsync($"aero query: {error.Message}");
            return 1;
        }

        switch (options.Format)
        {
            case QueryFormat.Csv:
                QueryOutput.WriteCsv(result, Console.Out);
                break;
            case QueryFormat.Json:
                await using (var stdout = Console.OpenStandardOutput())
                {
                    QueryOutput.WriteJson(result, stdout);
                }

                break;
            default:
                QueryOutput.WriteTable(result);
                break;
        }

        return 0;
    }
}
