using System.Threading.Channels;

namespace Aero.Node.Dashboard;

/// <summary>
/// The newest finalized windows as JSON lines, for the dashboard's event stream: it keeps the last few for a page that
/// opens, and hands each new one to every open page. A page too slow to take its windows loses its oldest ones, never
/// holds up the others (its channel is bounded, dropping the oldest).
/// </summary>
public sealed class WindowFeed(int kept)
{
    private const int PerPageBacklog = 100;
    private readonly Lock _gate = new();
    private readonly LinkedList<string> _newest = new();
    private readonly List<Channel<string>> _pages = [];

    public void Publish(string json)
    {
        lock (_gate)
        {
            _newest.AddLast(json);
            while (_newest.Count > kept)
            {
                _newest.RemoveFirst();
            }

            foreach (var page in _pages)
            {
                page.Writer.TryWrite(json);
            }
        }
    }

    /// <summary>A page's stream: the windows kept, then each new one, until <paramref name="cancellationToken"/>.</summary>
    public async IAsyncEnumerable<string> SubscribeAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(PerPageBacklog) { FullMode = BoundedChannelFullMode.DropOldest });
        List<string> backlog;
        lock (_gate)
        {
            backlog = [.. _newest];
            _pages.Add(channel);
        }

        try
        {
            foreach (var json in backlog)
            {
                yield return json;
            }

            await foreach (var json in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return json;
            }
        }
        finally
        {
            lock (_gate)
            {
                _pages.Remove(channel);
            }
        }
    }
}
