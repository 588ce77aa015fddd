namespace Aero.Streams.Extract;

/// <summary>
/// Counts how often each record content (its XXH128 digest) has occurred so far in one file: 0 the first time, then
/// 1, 2... It lives as long as the file is read, so it is kept small: an open-addressing set of the digests' low 64
/// bits (8 bytes a record, at most 3/4 full), and an exact count only for contents seen more than once. Two different
/// contents sharing their low 64 bits would only number the second as a repeat: its id still differs from the first's.
/// </summary>
internal sealed class ContentOccurrences
{
    private ulong[] slots = new ulong[1024];
    private int count;
    private Dictionary<UInt128, long>? repeats;

    /// <summary>How many times this content occurred before in the file; counts this occurrence.</summary>
    public long Next(UInt128 digest)
    {
        // 0 marks an empty slot; a digest whose low bits are 0 shares the key 1 (at worst a needless repeat count).
        var key = (ulong)digest is 0 ? 1UL : (ulong)digest;
        if (Add(key))
        {
            return 0;
        }

        repeats ??= [];
        var occurrence = repeats.GetValueOrDefault(digest) + 1;
        repeats[digest] = occurrence;
        return occurrence;
    }

    private bool Add(ulong key)
    {
        if ((count + 1) * 4L > slots.Length * 3L)
        {
            Grow();
        }

        var mask = slots.Length - 1;
        // The low bits of a good hash are uniform already: they pick the slot.
        for (var i = (int)(key & (ulong)mask); ; i = (i + 1) & mask)
        {
            if (slots[i] == key)
            {
                return false;
            }

            if (slots[i] == 0)
            {
                slots[i] = key;
                count++;
                return true;
            }
        }
    }

    private void Grow()
    {
        var old = slots;
        slots = new ulong[old.Length * 2];
        var mask = slots.Length - 1;
        foreach (var key in old)
        {
            if (key == 0)
            {
                continue;
            }

            var i = (int)(key & (ulong)mask);
            while (slots[i] != 0)
            {
                i = (i + 1) & mask;
            }

            slots[i] = key;
        }
    }
}
