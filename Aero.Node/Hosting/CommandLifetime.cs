using Microsoft.Extensions.Hosting;

namespace Aero.Node.Hosting;

/// <summary>
/// A host lifetime that leaves signals alone: the <c>aero</c> command already turns SIGTERM and Ctrl+C into
/// cancellation and stops the host itself, so the host must not race it with a second stop.
/// </summary>
public sealed class CommandLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
