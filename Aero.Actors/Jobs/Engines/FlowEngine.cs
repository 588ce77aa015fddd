using System.Globalization;
using System.Security.Cryptography;
using Aero.Streams.Extract;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace Aero.Actors.Jobs.Engines;

/// <summary>
/// Runs flows, as the seed's Prefect flow did: extracts each new file of the flow's folder into the load's topic (each
/// once, by the SHA-256 of its content), records it in <c>_aero_flow_files</c>, then waits until the warehouse's
/// stored offsets reach the topic's log end as it was after extracting, so the jobs the flow's <c>then</c> names (run
/// by the scheduler after this) see every record of those files. A run's rows are the records its files held.
/// </summary>
/// <remarks>
/// A retried attempt extracts what is still new and waits for the load again, so it resumes where the failed one
/// stopped; a file extracted again after a crash between sending and recording gives the same event ids (they derive
/// from the content), so the load stores nothing twice. More rejected records than <c>aero.extract.max-rejected-share</c>
/// allows fail the run, naming the files, once the load has stored what was valid.
/// </remarks>
public sealed class FlowEngine(FlowLoad load, FlowFileStore files, TimeSpan pollInterval, TimeProvider clock) : IJobEngine
{
    private ILoggingAdapter _log = NoLogger.Instance;
    private IMaterializer? _materializer;

    public string Name => JobsSettings.FlowEngine;

    public string Dialect => JobsSettings.FlowEngine;

    public Task OpenAsync(ILoggingAdapter log, CancellationToken cancellation)
    {
        _log = log;
        return Task.CompletedTask;
    }

    public async Task<long> RunAsync(JobRunRequest request, CancellationToken cancellation)
    {
        var flow = request.Flow ?? throw new ArgumentException($"Run {request.RunId} is not a flow's.", nameof(request));
        if (!Directory.Exists(flow.Watch))
        {
            throw new DirectoryNotFoundException($"flow.watch: no folder {flow.Watch}");
        }

        // Two files of one content in the folder are one file: the second is known once the first is extracted.
        var known = new HashSet<string>(await files.KnownAsync(request.Job, cancellation), StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(flow.Watch, flow.Pattern, SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal))
        {
            if (await ExtractIfNewAsync(request, flow, path, known, cancellation) is { } sha256)
            {
                known.Add(sha256);
            }
        }

        var extracted = await files.OfRunAsync(request.RunId, cancellation);
        if (extracted.Count == 0)
        {
            _log.Info("Flow run {0}: no new files in {1}", request.RunId, flow.Watch);
            return 0;
        }

        await WaitForLoadAsync(request.RunId, cancellation);
        var rejected = extracted.Where(f => f.RecordsDeadLettered > load.Extract.MaxRejectedShare * f.RecordsRead).ToList();
        if (rejected.Count > 0)
        {
            throw new InvalidDataException(string.Join(
                "; ",
                rejected.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.File}: {f.RecordsDeadLettered} of {f.RecordsRead} records rejected")))
                + $", more than aero.extract.max-rejected-share = {load.Extract.MaxRejectedShare.ToString(CultureInfo.InvariantCulture)} allows; their reasons are on {load.Extract.DeadLetterTopic}");
        }

        return extracted.Sum(f => f.RecordsRead);
    }

    /// <summary>Extracts and records <paramref name="path"/> unless its content is known; returns its SHA-256 when it was new.</summary>
    private async Task<string?> ExtractIfNewAsync(JobRunRequest request, FlowSource flow, string path, HashSet<string> known, CancellationToken cancellation)
    {
        var info = new FileInfo(path);
        if (clock.GetUtcNow() - info.LastWriteTimeUtc < flow.Settle)
        {
            _log.Info("Flow run {0}: {1} was written within {2} (flow.settle), so it is left for a later run", request.RunId, path, flow.Settle);
            return null;
        }

        if (!FlightFileSource.Reads(path))
        {
            _log.Warning("Flow run {0}: {1} is not a flight file (CSV, JSON, NDJSON, Parquet, optionally gzipped, or zipped CSV), so it is not read; flow.pattern can leave it out", request.RunId, path);
            return null;
        }

        var sha256 = await Sha256Async(path, cancellation);
        if (known.Contains(sha256))
        {
            return null;
        }

        var tally = new ExtractTally();
        var (killSwitch, done) = FlightFileSource.CreateChunks(path, load.Files)
            .ViaMaterialized(KillSwitches.Single<IReadOnlyList<ExtractedRecord>>(), Keep.Right)
            .ToMaterialized(FlightExtract.ChunksToKafka(load.Extract, load.Producer, tally, load.Framed), Keep.Both)
            .Run(_materializer ??= load.Materializer());
        await using (cancellation.Register(killSwitch.Shutdown))
        {
            await done;
        }

        cancellation.ThrowIfCancellationRequested();
        if (!tally.Balances)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{path}: {tally.Read} records read but {tally.Produced} produced and {tally.DeadLettered} dead-lettered"));
        }

        await files.RecordAsync(new FlowFile(request.Job, sha256, path, info.Length, tally.Read, tally.Produced, tally.DeadLettered, request.RunId, clock.GetUtcNow()), cancellation);
        _log.Info("Flow run {0}: extracted {1} ({2} records, {3} produced, {4} dead-lettered)", request.RunId, path, tally.Read, tally.Produced, tally.DeadLettered);
        return sha256;
    }

    /// <summary>Waits until the warehouse stored everything up to the log end as it is now, saying how far it is whenever that moved.</summary>
    private async Task WaitForLoadAsync(string runId, CancellationToken cancellation)
    {
        var target = await load.LogEnd(cancellation);
        var total = target.Values.Sum();
        _log.Info("Flow run {0}: waiting for the load to store up to the log end ({1} offsets)", runId, total);
        long lastReached = -1;
        while (true)
        {
            var stored = await load.Stored(cancellation);
            var reached = target.Sum(end => Math.Min(stored.GetValueOrDefault(end.Key), end.Value));
            if (reached == total)
            {
                _log.Info("Flow run {0}: the load stored its files", runId);
                return;
            }

            if (reached != lastReached)
            {
                _log.Info("Flow run {0}: the warehouse's offsets reached {1} of {2}", runId, reached, total);
                lastReached = reached;
            }

            await Task.Delay(pollInterval, clock, cancellation);
        }
    }

    private static async Task<string> Sha256Async(string path, CancellationToken cancellation)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellation));
    }
}
