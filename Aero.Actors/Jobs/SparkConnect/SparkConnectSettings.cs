using System.Text;
using Aero.Actors.Configuration;
using Akka.Configuration;

namespace Aero.Actors.Jobs.SparkConnect;

/// <summary>
/// Where and how the Spark jobs engine reaches its Spark Connect server: <c>aero.jobs.spark-connect</c> (see
/// hocon/aero.conf). The token is never printed: <see cref="ToString"/> shows whether one is set, not what it is.
/// </summary>
public sealed record SparkConnectSettings(
    Uri? Endpoint,
    string Token,
    string TlsCaFile,
    string UserId,
    string ClientType,
    long MaxReceiveMessageSize,
    TimeSpan ConnectTimeout,
    TimeSpan RpcTimeout,
    TimeSpan StreamIdleTimeout,
    TimeSpan KeepAlivePing,
    int RetryAttempts,
    TimeSpan RetryMinBackoff,
    TimeSpan RetryMaxBackoff)
{
    private const string Prefix = "aero.jobs.spark-connect";

    private const long MinReceiveSize = 4L * 1024 * 1024;

    private const long MaxReceiveSize = 2047L * 1024 * 1024;

    public static SparkConnectSettings Create(Config config) => new SparkConnectSettings(
        ParseEndpoint(SettingsKeys.Text(config, $"{Prefix}.endpoint")),
        SettingsKeys.Text(config, $"{Prefix}.token"),
        SettingsKeys.Text(config, $"{Prefix}.tls-ca-file"),
        SettingsKeys.Text(config, $"{Prefix}.user-id"),
        SettingsKeys.Text(config, $"{Prefix}.client-type"),
        SettingsKeys.Bytes(config, $"{Prefix}.max-receive-message-size"),
        SettingsKeys.Duration(config, $"{Prefix}.connect-timeout"),
        SettingsKeys.Duration(config, $"{Prefix}.rpc-timeout"),
        SettingsKeys.Duration(config, $"{Prefix}.stream-idle-timeout"),
        SettingsKeys.Duration(config, $"{Prefix}.keep-alive-ping"),
        SettingsKeys.WholeNumber(config, $"{Prefix}.retry.attempts"),
        SettingsKeys.Duration(config, $"{Prefix}.retry.min-backoff"),
        SettingsKeys.Duration(config, $"{Prefix}.retry.max-backoff")).Validate();

    public SparkConnectSettings WithEndpoint(Uri? value) => (this with { Endpoint = value }).Validate();

    public SparkConnectSettings WithToken(string value) => (this with { Token = value }).Validate();

    public SparkConnectSettings WithTlsCaFile(string value) => (this with { TlsCaFile = value }).Validate();

    public SparkConnectSettings WithMaxReceiveMessageSize(long value) => (this with { MaxReceiveMessageSize = value }).Validate();

    public SparkConnectSettings WithStreamIdleTimeout(TimeSpan value) => (this with { StreamIdleTimeout = value }).Validate();

    public SparkConnectSettings WithRetry(int attempts, TimeSpan minBackoff, TimeSpan maxBackoff) =>
        (this with { RetryAttempts = attempts, RetryMinBackoff = minBackoff, RetryMaxBackoff = maxBackoff }).Validate();

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Endpoint = {Endpoint}, Token = {(Token.Length == 0 ? "(none)" : "(set)")}, TlsCaFile = {TlsCaFile}, ");
        builder.Append($"UserId = {UserId}, ClientType = {ClientType}, MaxReceiveMessageSize = {MaxReceiveMessageSize}, ");
        builder.Append($"ConnectTimeout = {ConnectTimeout}, RpcTimeout = {RpcTimeout}, StreamIdleTimeout = {StreamIdleTimeout}, ");
        builder.Append($"KeepAlivePing = {KeepAlivePing}, RetryAttempts = {RetryAttempts}, RetryMinBackoff = {RetryMinBackoff}, RetryMaxBackoff = {RetryMaxBackoff}");
        return true;
    }

    private static Uri? ParseEndpoint(string text) =>
        text.Length == 0 ? null
        : Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri
        : throw new ConfigurationException($"{Prefix}.endpoint = \"{text}\" is not valid: expected http://host:port or https://host:port.");

    private SparkConnectSettings Validate()
    {
        if (Endpoint is not null && Endpoint.Scheme != Uri.UriSchemeHttp && Endpoint.Scheme != Uri.UriSchemeHttps)
        {
            throw new ConfigurationException($"{Prefix}.endpoint = \"{Endpoint}\" is not valid: expected http://host:port or https://host:port.");
        }

        if (Token.Length > 0 && Endpoint is not null && Endpoint.Scheme != Uri.UriSchemeHttps)
        {
            throw new ConfigurationException($"{Prefix}.token: a token needs an https endpoint, so it never travels in clear; {Prefix}.endpoint is \"{Endpoint}\".");
        }

        if (TlsCaFile.Length > 0 && !File.Exists(TlsCaFile))
        {
            throw new ConfigurationException($"{Prefix}.tls-ca-file: \"{TlsCaFile}\" does not exist.");
        }

        if (UserId.Length == 0)
        {
            throw new ConfigurationException($"{Prefix}.user-id: expected a user id, got an empty one.");
        }

        if (MaxReceiveMessageSize is < MinReceiveSize or > MaxReceiveSize)
        {
            throw new ConfigurationException($"{Prefix}.max-receive-message-size: expected 4m to 2047m, got {MaxReceiveMessageSize} bytes.");
        }

        Positive(ConnectTimeout, "connect-timeout");
        Positive(RpcTimeout, "rpc-timeout");
        Positive(StreamIdleTimeout, "stream-idle-timeout");
        Positive(KeepAlivePing, "keep-alive-ping");
        Positive(RetryMinBackoff, "retry.min-backoff");
        if (RetryMaxBackoff < RetryMinBackoff)
        {
            throw new ConfigurationException($"{Prefix}.retry.max-backoff: expected at least retry.min-backoff ({RetryMinBackoff}), got {RetryMaxBackoff}.");
        }

        return RetryAttempts >= 0 ? this : throw new ConfigurationException($"{Prefix}.retry.attempts: expected 0 or more, got {RetryAttempts}.");
    }

    private static void Positive(TimeSpan value, string key)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ConfigurationException($"{Prefix}.{key}: expected a positive duration, got {value}.");
        }
    }
}
