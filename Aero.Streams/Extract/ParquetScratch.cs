namespace Aero.Streams.Extract;

/// <summary>
/// The buffers Parquet.Net reads column chunks into, one per value type, kept for a whole file. Each row group's
/// columns are copied out of them into compact arrays (values without the nullable wrapper, a bit per null), so a
/// group allocates only what its records keep: large arrays, which wait for a full collection once they are garbage.
/// </summary>
internal sealed class ParquetScratch
{
    private readonly Dictionary<Type, Array> _buffers = [];

    /// <summary>A buffer of at least <paramref name="length"/> elements, with whatever the last column left in it.</summary>
    public T[] Rent<T>(int length)
    {
        if (_buffers.TryGetValue(typeof(T), out var known) && known.Length >= length)
        {
            return (T[])known;
        }

        var created = new T[length];
        _buffers[typeof(T)] = created;
        return created;
    }
}
