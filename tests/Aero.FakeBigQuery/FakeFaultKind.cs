namespace Aero.FakeBigQuery;

internal enum FakeFaultKind
{
    Status,
    HtmlStatus,
    AcceptThenFail,
    Delay,
    QueryIncomplete,
}
