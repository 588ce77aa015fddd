using Spectre.Console;

namespace Aero.Node.Commands;

/// <summary>
/// How far <c>aero run --once</c> has loaded: on a terminal a live progress bar of the warehouse's offsets against the
/// log end, with the rows this node stored; elsewhere (a pipe, a file) one line each <c>aero.run.once-progress-interval</c>.
/// Either way it ends with the final figures, taken after the node drained, so they match the summary.
/// </summary>
public sealed class LoadDisplay : IAsyncDisposable
{
    private readonly OnceWatch _watch;
    private readonly LoadProgress _progress;
    private readonly TimeSpan _interval;
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _live;
    private ProgressTask? _bar;
    private DateTimeOffset _reported = DateTimeOffset.MinValue;

    public LoadDisplay(OnceWatch watch, LoadProgress progress, TimeSpan interval)
    {
        (_watch, _progress, _interval) = (watch, progress, interval);
        _live = AnsiConsole.Profile.Capabilities.Interactive
            ? AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    _bar = context.AddTask("Loading", maxValue: Math.Max(1, watch.Target));
                    await _finished.Task;
                })
            : Task.CompletedTask;
    }

    /// <summary>The warehouse's offsets as last read.</summary>
    public void Report(IReadOnlyDictionary<int, long> stored)
    {
        if (_bar is { } bar)
        {
            Update(bar, stored);
        }
        else if (DateTimeOffset.UtcNow - _reported >= _interval)
        {
            // The first line comes one interval in: a run that finishes sooner prints only the final one.
            if (_reported != DateTimeOffset.MinValue)
            {
                AnsiConsole.WriteLine(Ticking(stored));
            }

            _reported = DateTimeOffset.UtcNow;
        }
    }

    /// <summary>The final figures, once the node has drained: the bar's last state, or one line.</summary>
    public async Task FinishAsync(IReadOnlyDictionary<int, long> stored)
    {
        if (_bar is { } bar)
        {
            Update(bar, stored);
            bar.StopTask();
            _finished.TrySetResult();
            await _live;
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated($"Loaded: {_watch.Progress(stored)}; {Stored()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _finished.TrySetResult();
        await _live;
    }

    private void Update(ProgressTask bar, IReadOnlyDictionary<int, long> stored)
    {
        bar.Value = _watch.Reached(stored);
        bar.Description = Markup.Escape(Ticking(stored));
    }

    // Within 80 columns, so that on a pipe too each tick is one line.
    private string Ticking(IReadOnlyDictionary<int, long> stored) =>
        $"Loading: {_watch.Reached(stored):N0} of {_watch.Target:N0} offsets; this node stored {_progress.Stored:N0} rows";

    private string Stored() => $"this node stored {_progress.Stored:N0} rows, {_progress.AlreadyStored:N0} already present";
}
