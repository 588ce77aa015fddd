using System.Diagnostics.Metrics;

namespace Aero.Warehouse.Tests.BigQuery;

/// <summary>Counts aero_warehouse_quota_exceeded (meter Aero.Warehouse) while it is alive.</summary>
internal sealed class QuotaAlarms : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _count;

    public QuotaAlarms()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Aero.Warehouse" && instrument.Name == "aero_warehouse_quota_exceeded")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
        _listener.Start();
    }

    public long Count => Interlocked.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}
