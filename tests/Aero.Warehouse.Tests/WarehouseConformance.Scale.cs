using Xunit;

namespace Aero.Warehouse.Tests;

public abstract partial class WarehouseConformance
{
    // issue 16 §1: uniqueness no longer needs a key index on every backend (DuckDB finds stored events within their
    // event days). Events spread over years and written in an order unlike their days, then all extracted again among
    // new events of the same days and of days never seen: nothing stored twice, every new event stored.
    [Fact]
    public async Task Events_on_scattered_days_extracted_again_should_store_nothing_new()
    {
        await using var warehouse = await OpenAsync();
        var days = Enumerable.Range(0, 40).Select(i => new DateTime(2001, 1, 1, 23, 59, 0, DateTimeKind.Utc).AddDays(i * i * 7 % 3000)).ToList();
        var stored = days.Select((day, i) => (Id: $"old-{i}", Day: day)).ToList();
        // Three batches, each holding days from all over the range.
        var offset = 0L;
        foreach (var third in stored.Select((e, i) => (e.Id, e.Day, i)).GroupBy(e => e.i % 3))
        {
            var rows = third.Select(e => Row(e.Id, 0, offset++, timestamp: e.Day)).ToList();
            await warehouse.WriteAsync(Batch(Cluster, rows, next: [(Topic, 0, offset)]));
        }

        var fresh = days.Select((day, i) => (Id: $"new-{i}", Day: day.AddHours(-23))).Append((Id: "new-far", Day: new DateTime(2030, 6, 1, 0, 0, 0, DateTimeKind.Utc))).ToList();
        var all = stored.Concat(fresh).ToList();
        var again = all.Select((e, i) => (e.Id, e.Day, Order: i * 37 % all.Count)).OrderBy(e => e.Order).Select((e, i) => Row(e.Id, 1, i, timestamp: e.Day)).ToList();
        var result = await warehouse.WriteAsync(Batch(Cluster, again, next: [(Topic, 1, again.Count)]));

        Assert.Equal(new WriteResult(fresh.Count, stored.Count, 0), result);
        Assert.Equal(stored.Count + fresh.Count, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
    }
}
