using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aero.Streams.Tests.Extract.OpenSky;

/// <summary>
/// An in-process Kestrel server on 127.0.0.1 that plays OpenSky: each request takes the next scripted response
/// (an empty <c>{"states": null}</c> once the script is used up) and is recorded with its server-side arrival time.
/// </summary>
public sealed class ScriptedOpenSkyServer : IAsyncDisposable
{
    public const string EmptyBody = """{"time":1700000000,"states":null}""";

    private readonly ConcurrentQueue<Func<HttpContext, Task>> _script = new();
    private readonly ConcurrentQueue<ServedRequest> _requests = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly WebApplication _app;

    private ScriptedOpenSkyServer(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<ServedRequest> Requests => [.. _requests];

    /// <summary>Now on the clock of <see cref="ServedRequest.ArrivedAt"/>.</summary>
    public TimeSpan Now => _clock.Elapsed;

    public static async Task<ScriptedOpenSkyServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new ScriptedOpenSkyServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server.BaseUrl = new Uri(address);
        return server;
    }

    public ScriptedOpenSkyServer Then(Func<HttpContext, Task> respond)
    {
        _script.Enqueue(respond);
        return this;
    }

    public ScriptedOpenSkyServer ThenBody(string body) => Then(context =>
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body);
    });

    public ScriptedOpenSkyServer ThenStates(params string[] states) =>
        ThenBody($$"""{"time":1700000010,"states":[{{string.Join(",", states)}}]}""");

    public ScriptedOpenSkyServer ThenStatus(int status, string? header = null, string? value = null) => Then(context =>
    {
        context.Response.StatusCode = status;
        if (header is not null)
        {
            context.Response.Headers[header] = value;
        }

        return Task.CompletedTask;
    });

    /// <summary>Answers only once the client gave up on the request (its timeout), never on a timer.</summary>
    public ScriptedOpenSkyServer ThenHang() => Then(async context =>
    {
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client timed out, as the spec wants.
        }
    });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private Task HandleAsync(HttpContext context)
    {
        _requests.Enqueue(new ServedRequest(
            _clock.Elapsed,
            DateTimeOffset.UtcNow,
            context.Request.Path + context.Request.QueryString,
            context.Request.Headers.Authorization.ToString()));
        if (_script.TryDequeue(out var respond))
        {
            return respond(context);
        }

        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(EmptyBody);
    }
}
