namespace Aero.Node.Tests.Admin;

/// <summary>An <see cref="AdminNodeFixture"/> without a token: the loopback default, where only the cross-site checks stand between a web page and the node.</summary>
public sealed class OpenAdminNodeFixture() : AdminNodeFixture(token: null);
