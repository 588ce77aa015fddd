namespace Aero.Streams.Extract;

/// <summary>
/// One record's bytes as read: at most max-record-bytes of them are kept, <see cref="Length"/> is the true length.
/// <see cref="Offset"/> is the byte offset in the (decompressed) file, <see cref="Line"/> the 1-based line it starts on.
/// </summary>
internal readonly record struct RawRecord(byte[] Bytes, long Length, long Offset, long Line)
{
    public bool IsTruncated => Length > Bytes.Length;
}
