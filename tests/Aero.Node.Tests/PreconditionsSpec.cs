using Xunit;

namespace Aero.Node.Tests;

/// <summary>issue 13 §3: a spec whose machine lacks a part says which, instead of timing out.</summary>
public sealed class PreconditionsSpec
{
    [Fact]
    public void A_missing_program_should_be_named_with_how_to_get_it()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Preconditions.Program("aero-no-such-tool", "install it from nowhere"));

        Assert.Contains("aero-no-such-tool", error.Message, StringComparison.Ordinal);
        Assert.Contains("install it from nowhere", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_address_this_machine_does_not_have_should_be_named()
    {
        // TEST-NET-1: documentation only, never assigned to a host.
        var error = Assert.Throws<InvalidOperationException>(() => Preconditions.LoopbackAddresses("127.0.0.1", "192.0.2.1"));

        Assert.Contains("192.0.2.1", error.Message, StringComparison.Ordinal);
    }
}
