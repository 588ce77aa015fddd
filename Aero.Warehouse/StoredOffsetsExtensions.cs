namespace Aero.Warehouse;

public static class StoredOffsetsExtensions
{
    /// <summary>The next offset to read per partition, as stored with the rows; partitions never written are absent.</summary>
    public static async Task<IReadOnlyDictionary<int, long>> StoredOffsetsAsync(this IWarehouseWriter warehouse, string clusterId, string topic, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(warehouse);
        var positions = await warehouse.StoredPositionsAsync(clusterId, topic, cancellationToken).ConfigureAwait(false);
        return positions.ToDictionary(p => p.Key, p => p.Value.NextOffset);
    }
}
