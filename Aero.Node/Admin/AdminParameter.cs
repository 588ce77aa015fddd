namespace Aero.Node.Admin;

/// <summary>
/// One input of an admin verb: on the command line a positional argument or a <c>--name</c> option, over HTTP a query
/// parameter of the same name.
/// </summary>
/// <param name="Positional">An argument (<c>aero cluster down ADDRESS</c>) rather than an option (<c>--depth 2</c>).</param>
public sealed record AdminParameter(string Name, string Description, bool Positional = false, bool Required = false);
