namespace Aero.Streams.Extract;

/// <summary>Thrown while mapping one record; caught per record and turned into a rejection, never out of the source.</summary>
internal sealed class RecordRejectedException : Exception
{
    public RecordRejectedException()
    {
    }

    public RecordRejectedException(string reason)
        : base(reason)
    {
    }

    public RecordRejectedException(string reason, Exception inner)
        : base(reason, inner)
    {
    }
}
