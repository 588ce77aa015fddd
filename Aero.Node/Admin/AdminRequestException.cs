namespace Aero.Node.Admin;

/// <summary>A request the node cannot carry out as asked; its message goes back to the caller with <paramref name="StatusCode"/>.</summary>
public sealed class AdminRequestException(string message, int statusCode = 400) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}
