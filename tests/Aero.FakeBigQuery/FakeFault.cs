namespace Aero.FakeBigQuery;

/// <summary>One scripted misbehaviour, served to the next request of a method (see <see cref="FaultScript"/>).</summary>
public sealed class FakeFault
{
    private FakeFault(FakeFaultKind kind, int httpStatus, string reason, string message, TimeSpan pause)
    {
        Kind = kind;
        HttpStatus = httpStatus;
        Reason = reason;
        Message = message;
        Pause = pause;
    }

    internal FakeFaultKind Kind { get; }

    internal int HttpStatus { get; }

    internal string Reason { get; }

    internal string Message { get; }

    internal TimeSpan Pause { get; }

    /// <summary>Answer with BigQuery's JSON error envelope and do nothing else.</summary>
    public static FakeFault Status(int httpStatus, string reason, string message) =>
        new(FakeFaultKind.Status, httpStatus, reason, message, TimeSpan.Zero);

    /// <summary>Answer like a proxy or load balancer: an HTML page, no JSON error object.</summary>
    public static FakeFault HtmlStatus(int httpStatus) =>
        new(FakeFaultKind.HtmlStatus, httpStatus, string.Empty, string.Empty, TimeSpan.Zero);

    /// <summary>Perform the request (accept the job, store the rows), then answer with an error: "unclear if it succeeded".</summary>
    public static FakeFault AcceptThenFail(int httpStatus, string reason) =>
        new(FakeFaultKind.AcceptThenFail, httpStatus, reason, $"Scripted {reason} after the request was carried out.", TimeSpan.Zero);

    /// <summary>Wait, then proceed normally; with a client timeout shorter than the delay this is a hung server.</summary>
    public static FakeFault Delay(TimeSpan delay) =>
        new(FakeFaultKind.Delay, 0, string.Empty, string.Empty, delay);

    /// <summary><c>jobs.query</c> answers <c>jobComplete: false</c> without rows; the results come from <c>getQueryResults</c>.</summary>
    public static FakeFault QueryIncomplete() =>
        new(FakeFaultKind.QueryIncomplete, 200, string.Empty, string.Empty, TimeSpan.Zero);

    public override string ToString() => Kind switch
    {
        FakeFaultKind.Status => $"Status({HttpStatus}, {Reason})",
        FakeFaultKind.HtmlStatus => $"HtmlStatus({HttpStatus})",
        FakeFaultKind.AcceptThenFail => $"AcceptThenFail({HttpStatus}, {Reason})",
        FakeFaultKind.Delay => $"Delay({Pause})",
        _ => "QueryIncomplete()",
    };
}
