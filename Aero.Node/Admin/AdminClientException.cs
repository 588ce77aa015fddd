namespace Aero.Node.Admin;

/// <summary>The node could not be reached, refused the call, or could not carry it out; the message says which, for a person.</summary>
public sealed class AdminClientException(string message, Exception? inner = null) : Exception(message, inner);
