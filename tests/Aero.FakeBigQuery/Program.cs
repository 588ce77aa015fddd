using System.Globalization;
using System.Runtime.InteropServices;
using Aero.FakeBigQuery;

// Runs the fake on its own for manual checks: dotnet run --project tests/Aero.FakeBigQuery -- --port 9050
var port = 0;
for (var i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--port")
    {
        port = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    }
}

await using var server = await FakeBigQueryServer.StartAsync(new FakeBigQueryOptions { Port = port });
Console.WriteLine($"Fake BigQuery listening on {server.Endpoint}");
Console.WriteLine($"  bq --api {server.Endpoint.ToString().TrimEnd('/')} --project_id=demo ls   (any Bearer token; Ctrl+C stops)");
var stop = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.TrySetResult();
};
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.TrySetResult();
});
await stop.Task;
foreach (var violation in server.ContractViolations)
{
    Console.WriteLine($"contract violation: {violation}");
}
