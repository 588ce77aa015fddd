namespace Aero.Kafka.Settings;

/// <summary>What a committer does when Kafka does not take a batch's offsets (<c>commit-failure</c>).</summary>
public enum CommitFailure
{
    /// <summary>Fail the stream: Kafka's commit is where a restart resumes from.</summary>
    Fail,

    /// <summary>Log and count it, and go on: the offsets that count are stored elsewhere (the warehouse).</summary>
    Warn,
}
