using Aero.Node.Admin;
using Xunit;

namespace Aero.Node.Tests.Admin;

public sealed class BearerTokenSpec
{
    [Theory]
    [InlineData("Bearer s3cret", true)]
    [InlineData("bearer s3cret", true)]
    [InlineData("Bearer s3cre", false)]
    [InlineData("Bearer s3cret2", false)]
    [InlineData("s3cret", false)]
    [InlineData("Basic s3cret", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void A_configured_token_should_accept_only_a_bearer_header_carrying_it(string? header, bool accepted) =>
        Assert.Equal(accepted, BearerToken.Accepts("s3cret", header));

    [Fact]
    public void No_configured_token_should_accept_any_caller() => Assert.True(BearerToken.Accepts("", null));
}
