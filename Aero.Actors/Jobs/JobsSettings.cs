using System.Text.RegularExpressions;
using Aero.Actors.Configuration;
using Akka.Configuration;

namespace Aero.Actors.Jobs;

/// <summary>
/// <c>aero.jobs</c>: the scheduler's policy and the job definitions, each merged over <c>aero.jobs.defaults</c>. A bad
/// definition (schedule, engine, parameter, SQL) is refused naming the job and its key, so the node does not start.
/// </summary>
public sealed partial record JobsSettings
{
    private const string Root = "aero.jobs";
    private static readonly string[] JobKeys = ["schedule", "engine", "sql", "parameters", "output", "measures", "retries", "backoff", "timeout", "then", "flow"];
    private static readonly string[] ParameterKeys = ["period", "window"];
    private static readonly string[] FlowKeys = ["watch", "pattern", "settle"];
    private static readonly string[] NotInFlow = ["sql", "output", "measures", "parameters"];

    /// <summary>The engine of a flow: extract a watched folder's new files, wait for the load to store them, run its <c>then</c> jobs.</summary>
    public const string FlowEngine = "flow";

    /// <summary>Whether the coordinator runs jobs when they are due (asked-for runs happen either way).</summary>
    public required bool Scheduled { get; init; }

    public required TimeSpan TickInterval { get; init; }

    /// <summary>How long a running run's claim lasts without its coordinator renewing it.</summary>
    public required TimeSpan Lease { get; init; }

    public required int MaxCatchUp { get; init; }

    public required IReadOnlyList<JobDefinition> Jobs { get; init; }

    /// <param name="engineDialects">The engines this node has (a job's <c>engine</c> value → the SQL dialect it runs).</param>
    public static JobsSettings Create(Config config, IReadOnlyDictionary<string, string> engineDialects) =>
        Create(config, engineDialects, config.GetConfig($"{Root}.definitions"));

    /// <summary>With other <paramref name="definitions"/> than the configuration's (specs that want only their own jobs).</summary>
    internal static JobsSettings Create(Config config, IReadOnlyDictionary<string, string> engineDialects, Config? definitions)
    {
        var settings = new JobsSettings
        {
            Scheduled = SettingsKeys.Flag(config, $"{Root}.scheduled"),
            TickInterval = SettingsKeys.Duration(config, $"{Root}.tick-interval"),
            Lease = SettingsKeys.Duration(config, $"{Root}.lease"),
            MaxCatchUp = SettingsKeys.WholeNumber(config, $"{Root}.max-catch-up"),
            Jobs = ReadJobs(config, engineDialects, definitions),
        };
        if (settings.TickInterval < TimeSpan.FromMilliseconds(10))
        {
            throw new ConfigurationException($"{Root}.tick-interval = {settings.TickInterval} is not valid: expected at least 10ms.");
        }

        if (settings.Lease < settings.TickInterval * 3)
        {
            throw new ConfigurationException($"{Root}.lease = {settings.Lease} is not valid: expected at least three tick-intervals ({settings.TickInterval * 3}), since every tick renews it.");
        }

        return settings.MaxCatchUp is >= 1 and <= 10_000
            ? settings
            : throw new ConfigurationException($"{Root}.max-catch-up = {settings.MaxCatchUp} is not valid: expected 1 to 10000.");
    }

    public JobDefinition Job(string name) => Jobs.FirstOrDefault(j => j.Name == name) ?? throw new KeyNotFoundException($"No job named {name}; jobs: {string.Join(", ", Jobs.Select(j => j.Name))}.");

    private static List<JobDefinition> ReadJobs(Config config, IReadOnlyDictionary<string, string> engineDialects, Config? definitions)
    {
        var defaults = config.GetConfig($"{Root}.defaults") ?? throw new ConfigurationException($"{Root}.defaults: missing (its default is in hocon/aero.conf).");
        if (definitions is null || definitions.IsEmpty)
        {
            return [];
        }

        List<JobDefinition> jobs = [.. definitions.Root.GetObject().Items.Keys.Order(StringComparer.Ordinal).Select(name => ReadJob(name, definitions.GetConfig(name), defaults, engineDialects))];
        CheckThen(jobs);
        return jobs;
    }

    /// <summary>Every job a <c>then</c> names exists, and no job leads back to itself.</summary>
    private static void CheckThen(List<JobDefinition> jobs)
    {
        var byName = jobs.ToDictionary(j => j.Name, StringComparer.Ordinal);
        foreach (var job in jobs)
        {
            foreach (var next in job.Then.Where(n => !byName.ContainsKey(n)))
            {
                throw new ConfigurationException($"{Root}.definitions.{job.Name}.then: \"{next}\" is not a job; jobs: {string.Join(", ", byName.Keys.Order(StringComparer.Ordinal))}.");
            }

            var path = new List<string> { job.Name };
            if (LeadsBack(job.Name, job, byName, path))
            {
                throw new ConfigurationException($"{Root}.definitions.{job.Name}.then: the jobs run in a circle ({string.Join(" -> ", path)}).");
            }
        }
    }

    private static bool LeadsBack(string start, JobDefinition job, Dictionary<string, JobDefinition> byName, List<string> path)
    {
        foreach (var next in job.Then)
        {
            path.Add(next);
            if (next == start || (path.Count <= byName.Count && LeadsBack(start, byName[next], byName, path)))
            {
                return true;
            }

            path.RemoveAt(path.Count - 1);
        }

        return false;
    }

    private static JobDefinition ReadJob(string name, Config own, Config defaults, IReadOnlyDictionary<string, string> engineDialects)
    {
        var key = $"{Root}.definitions.{name}";
        if (!JobName().IsMatch(name))
        {
            throw new ConfigurationException($"{key}: a job's name is lower-case letters, digits and dashes.");
        }

        RefuseUnknown(own, JobKeys, key);
        if (own.HasPath("parameters") && own.GetValue("parameters").IsObject())
        {
            RefuseUnknown(own.GetConfig("parameters"), ParameterKeys, $"{key}.parameters");
        }

        var job = own.WithFallback(defaults);
        var schedule = JobSchedule.Parse(Read(job, key, "schedule", c => c.GetString("schedule")), $"{key}.schedule");
        var engine = Read(job, key, "engine", c => c.GetString("engine"));
        var then = Read(job, key, "then", c => c.GetStringList("then"));
        if (engine == FlowEngine)
        {
            return ReadFlow(name, own, job, key, schedule, [.. then]);
        }

        if (!engineDialects.TryGetValue(engine, out var dialect))
        {
            throw new ConfigurationException($"{key}.engine = \"{engine}\" is not valid: unknown engine; this node has {string.Join(", ", engineDialects.Keys.Append(FlowEngine).Order(StringComparer.Ordinal))}.");
        }

        if (own.HasPath("flow"))
        {
            throw new ConfigurationException($"{key}.flow: only a job on engine {FlowEngine} extracts files; this one runs on {engine}.");
        }

        var period = Read(job, key, "parameters.period", c => c.GetString("parameters.period")) switch
        {
            "all" => JobPeriodKind.All,
            "interval" => JobPeriodKind.Interval,
            var other => throw new ConfigurationException($"{key}.parameters.period = \"{other}\" is not valid: expected all or interval."),
        };
        var windowText = Read(job, key, "parameters.window", c => c.GetString("parameters.window"));
        TimeSpan? window = windowText == "schedule" ? null : Read(job, key, "parameters.window", c => c.GetTimeSpan("parameters.window"));
        if (window is { } w && w <= TimeSpan.Zero)
        {
            throw new ConfigurationException($"{key}.parameters.window = {windowText} is not valid: expected schedule or a positive duration.");
        }

        var sql = ReadSql(job, key);
        var text = JobSqlText.For(sql, dialect)
            ?? throw new ConfigurationException($"{key}.sql: no text for engine {engine} (dialect {dialect}) and no {JobSqlText.DefaultDialect}.");
        JobSqlText.Check(text, period, $"{key}.sql");
        var output = Read(job, key, "output", c => c.GetString("output"));
        if (!TableName().IsMatch(output))
        {
            throw new ConfigurationException($"{key}.output = \"{output}\" is not valid: expected a table name (letters, digits, underscores).");
        }

        var measures = Read(job, key, "measures", c => c.GetStringList("measures"));
        foreach (var measure in measures.Where(m => !TableName().IsMatch(m)))
        {
            throw new ConfigurationException($"{key}.measures: \"{measure}\" is not valid: expected column names (letters, digits, underscores).");
        }

        var (retries, backoffMin, backoffMax, timeout) = ReadPolicy(job, key);
        return new JobDefinition(name, schedule, engine, sql, period, window, output, [.. measures], retries, backoffMin, backoffMax, timeout) { Then = [.. then] };
    }

    /// <summary>What every job has, flows too: its retries, their back-off and its timeout.</summary>
    private static (int Retries, TimeSpan BackoffMin, TimeSpan BackoffMax, TimeSpan Timeout) ReadPolicy(Config job, string key)
    {
        var retries = Read(job, key, "retries", c => c.GetInt("retries"));
        var backoffMin = Read(job, key, "backoff.min", c => c.GetTimeSpan("backoff.min"));
        var backoffMax = Read(job, key, "backoff.max", c => c.GetTimeSpan("backoff.max"));
        var timeout = Read(job, key, "timeout", c => c.GetTimeSpan("timeout"));
        return retries is < 0 or > 100 ? throw new ConfigurationException($"{key}.retries = {retries} is not valid: expected 0 to 100.")
            : backoffMin <= TimeSpan.Zero || backoffMax < backoffMin ? throw new ConfigurationException($"{key}.backoff: expected 0 < min <= max, got min {backoffMin}, max {backoffMax}.")
            : timeout <= TimeSpan.Zero ? throw new ConfigurationException($"{key}.timeout = {timeout} is not valid: expected a positive duration.")
            : (retries, backoffMin, backoffMax, timeout);
    }

    /// <summary>A flow: its <c>flow</c> block, and the policy every job has; it has no SQL or output of its own.</summary>
    private static JobDefinition ReadFlow(string name, Config own, Config job, string key, JobSchedule schedule, IReadOnlyList<string> then)
    {
        foreach (var ownKey in NotInFlow.Where(own.HasPath))
        {
            throw new ConfigurationException($"{key}.{ownKey}: a flow has no {ownKey}; it extracts files into the load's topic and runs the jobs its then names.");
        }

        if (!own.HasPath("flow"))
        {
            throw new ConfigurationException($"{key}.flow: missing; a flow needs flow.watch, the folder it extracts new files from.");
        }

        RefuseUnknown(own.GetConfig("flow"), FlowKeys, $"{key}.flow");
        var watch = Read(job, key, "flow.watch", c => c.GetString("flow.watch"));
        if (string.IsNullOrWhiteSpace(watch))
        {
            throw new ConfigurationException($"{key}.flow.watch: expected a folder.");
        }

        var pattern = Read(job, key, "flow.pattern", c => c.GetString("flow.pattern"));
        if (string.IsNullOrWhiteSpace(pattern) || pattern.IndexOfAny(['/', '\\']) >= 0)
        {
            throw new ConfigurationException($"{key}.flow.pattern = \"{pattern}\" is not valid: expected a file name pattern such as *.csv (no folders).");
        }

        var settle = Read(job, key, "flow.settle", c => c.GetTimeSpan("flow.settle"));
        if (settle < TimeSpan.Zero)
        {
            throw new ConfigurationException($"{key}.flow.settle = {settle} is not valid: expected zero or more.");
        }

        var (retries, backoffMin, backoffMax, timeout) = ReadPolicy(job, key);
        return new JobDefinition(name, schedule, FlowEngine, new Dictionary<string, string>(), JobPeriodKind.All, null, "", [], retries, backoffMin, backoffMax, timeout)
        {
            Flow = new FlowSource(watch, pattern, settle),
            Then = then,
        };
    }

    private static Dictionary<string, string> ReadSql(Config job, string key)
    {
        var value = job.GetValue("sql") ?? throw new ConfigurationException($"{key}.sql: missing; a job needs its SQL.");
        if (value.IsString())
        {
            return new Dictionary<string, string>(StringComparer.Ordinal) { [JobSqlText.DefaultDialect] = value.GetString() };
        }

        var texts = job.GetConfig("sql");
        RefuseUnknown(texts, [JobSqlText.DefaultDialect, .. JobSqlText.Dialects], $"{key}.sql");
        return texts.Root.GetObject().Items.ToDictionary(i => i.Key, i => i.Value.GetString(), StringComparer.Ordinal);
    }

    private static void RefuseUnknown(Config block, IReadOnlyCollection<string> known, string key)
    {
        foreach (var name in block.Root.GetObject().Items.Keys.Where(k => !known.Contains(k)))
        {
            throw new ConfigurationException($"{key}.{name}: unknown key; expected {string.Join(", ", known)}.");
        }
    }

    // A job's key, named with the job's path; its default is in aero.jobs.defaults.
    private static T Read<T>(Config job, string key, string path, Func<Config, T> read) => SettingsKeys.Read(job, path, _ => read(job), $"{key}.");

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex JobName();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex TableName();
}
