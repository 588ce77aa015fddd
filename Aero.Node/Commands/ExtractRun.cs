using System.Diagnostics;
using Aero.Kafka.Settings;
using Aero.Streams.Extract;
using Aero.Streams.Schema;
using Akka.Streams;
using Akka.Streams.Dsl;
using Spectre.Console;

namespace Aero.Node.Commands;

/// <summary>
/// One extract into Kafka with a progress bar: the run behind both <c>aero produce</c> and <c>aero run</c>.
/// Cancellation stops reading; records already read are still delivered and counted. The outcome fails when more
/// records were rejected than <c>aero.extract.max-rejected-share</c> allows, for both verbs alike. With <c>framed</c>
/// (<see cref="FramedValueWriter.ForTopicAsync"/>), records go out in Confluent's wire format.
/// </summary>
public static class ExtractRun
{
    public static async Task<ExtractOutcome> RunAsync(
        ExtractInput input, ExtractSettings settings, ProducerSettings producerSettings, int rate, IMaterializer materializer, CancellationToken cancellation,
        FramedValueWriter? framed = null)
    {
        var source = rate > 0
            // Throttled one record at a time: a chunk at a time, the rate would come in bursts of a chunk.
            ? input.Chunks.SelectMany(chunk => chunk).Throttle(rate, TimeSpan.FromSeconds(1), rate, ThrottleMode.Shaping).Select(record => (IReadOnlyList<ExtractedRecord>)[record])
            : input.Chunks;
        var tally = new ExtractTally();
        ReportSkipped(input, tally);
        var started = Stopwatch.StartNew();
        var (killSwitch, done) = source
            .ViaMaterialized(KillSwitches.Single<IReadOnlyList<ExtractedRecord>>(), Keep.Right)
            .ToMaterialized(FlightExtract.ChunksToKafka(settings, producerSettings, tally, framed), Keep.Both)
            .Run(materializer);
        await using var stop = cancellation.Register(killSwitch.Shutdown);

        await ShowProgressAsync(input, tally, started, done);
        Exception? failure = null;
        try
        {
            await done;
        }
        catch (Exception error)
        {
            failure = error;
        }

        return new ExtractOutcome(tally, started.Elapsed, failure, settings.MaxRejectedShare);
    }

    /// <summary>
    /// Warns of each entry the input names but the extract leaves unread, on a plain line of its own, and counts it
    /// in the tally (the summary's <c>skipped=</c>): nothing is left out without a word.
    /// </summary>
    private static void ReportSkipped(ExtractInput input, ExtractTally tally)
    {
        foreach (var skipped in input.Skipped)
        {
            tally.CountSkipped(skipped);
            Console.WriteLine($"warning: skipped {skipped.Path}: {skipped.Reason}");
        }
    }

    /// <summary>
    /// Says prominently that the run rejected more than it may, if it did: a red rule, then the numbers on one plain
    /// line (never wrapped, so scripts and logs find it whole).
    /// </summary>
    public static void ReportTooManyRejected(ExtractOutcome outcome)
    {
        if (outcome.TooManyRejected)
        {
            AnsiConsole.Write(new Rule("[red bold]Too many records rejected[/]").RuleStyle("red").LeftJustified());
            Console.WriteLine(outcome.Problem);
        }
    }

    private static Task ShowProgressAsync(ExtractInput input, ExtractTally tally, Stopwatch started, Task done) =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(input.Description), maxValue: input.ExpectedRecords ?? 1);
                task.IsIndeterminate = input.ExpectedRecords is null;
                while (true)
                {
                    var finished = done.IsCompleted;
                    var read = tally.Read;
                    var rate = read / Math.Max(started.Elapsed.TotalSeconds, 0.001);
                    task.Description = Markup.Escape($"{input.Description}: {read:N0} records, {rate:N0}/s");
                    task.Value = input.ExpectedRecords is null ? 0 : read;
                    if (finished)
                    {
                        task.Value = task.MaxValue;
                        task.StopTask();
                        return;
                    }

                    // A redraw tick for the bar; completion wakes it at once.
                    await Task.WhenAny(done, Task.Delay(200, CancellationToken.None));
                }
            });
}
