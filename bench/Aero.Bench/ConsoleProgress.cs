using Spectre.Console;

namespace Aero.Bench;

/// <summary>A progress bar over work that reports a count, polled so the measured loops do not talk to the console.</summary>
internal static class ConsoleProgress
{
    public static Task<T> TrackAsync<T>(string description, long total, Func<long> done, Func<Task<T>> work)
    {
        // Redirected output (a log, a CI job) gets no bar: Spectre would only print a frozen 0% line.
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            return work();
        }

        return AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(description, maxValue: total);
                var running = work();
                while (!running.IsCompleted)
                {
                    task.Value = Math.Min(done(), total);
                    await Task.WhenAny(running, Task.Delay(200));
                }

                task.Value = Math.Min(done(), total);
                return await running;
            });
    }
}
