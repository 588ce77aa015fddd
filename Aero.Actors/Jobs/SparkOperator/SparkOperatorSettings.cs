using Aero.Actors.Configuration;
using Akka.Configuration;

namespace Aero.Actors.Jobs.SparkOperator;

/// <summary>
/// How a long Spark job is submitted as a Kubeflow Spark Operator <c>SparkApplication</c>:
/// <c>aero.jobs.spark-operator</c> (see hocon/aero.conf).
/// </summary>
public sealed record SparkOperatorSettings(
    string Kubeconfig,
    string Namespace,
    string SparkVersion,
    string Image,
    string MainApplicationFile,
    string ServiceAccount,
    int DriverCores,
    string DriverMemory,
    int ExecutorCores,
    string ExecutorMemory,
    int ExecutorInstances,
    TimeSpan TimeToLive,
    TimeSpan PollInterval)
{
    private const string Prefix = "aero.jobs.spark-operator";

    public static SparkOperatorSettings Create(Config config) => new SparkOperatorSettings(
        SettingsKeys.Text(config, $"{Prefix}.kubeconfig"),
        SettingsKeys.Text(config, $"{Prefix}.namespace"),
        SettingsKeys.Text(config, $"{Prefix}.spark-version"),
        SettingsKeys.Text(config, $"{Prefix}.image"),
        SettingsKeys.Text(config, $"{Prefix}.main-application-file"),
        SettingsKeys.Text(config, $"{Prefix}.service-account"),
        SettingsKeys.WholeNumber(config, $"{Prefix}.driver.cores"),
        SettingsKeys.Text(config, $"{Prefix}.driver.memory"),
        SettingsKeys.WholeNumber(config, $"{Prefix}.executor.cores"),
        SettingsKeys.Text(config, $"{Prefix}.executor.memory"),
        SettingsKeys.WholeNumber(config, $"{Prefix}.executor.instances"),
        SettingsKeys.Duration(config, $"{Prefix}.time-to-live"),
        SettingsKeys.Duration(config, $"{Prefix}.poll-interval")).Validate();

    public SparkOperatorSettings WithKubeconfig(string value) => (this with { Kubeconfig = value }).Validate();

    public SparkOperatorSettings WithNamespace(string value) => (this with { Namespace = value }).Validate();

    public SparkOperatorSettings WithPollInterval(TimeSpan value) => (this with { PollInterval = value }).Validate();

    private SparkOperatorSettings Validate()
    {
        NotEmpty(Namespace, "namespace");
        NotEmpty(SparkVersion, "spark-version");
        NotEmpty(Image, "image");
        NotEmpty(MainApplicationFile, "main-application-file");
        NotEmpty(ServiceAccount, "service-account");
        NotEmpty(DriverMemory, "driver.memory");
        NotEmpty(ExecutorMemory, "executor.memory");
        AtLeastOne(DriverCores, "driver.cores");
        AtLeastOne(ExecutorCores, "executor.cores");
        AtLeastOne(ExecutorInstances, "executor.instances");
        if (TimeToLive < TimeSpan.FromSeconds(1))
        {
            throw new ConfigurationException($"{Prefix}.time-to-live: expected at least 1s, got {TimeToLive}.");
        }

        return PollInterval > TimeSpan.Zero ? this : throw new ConfigurationException($"{Prefix}.poll-interval: expected a positive duration, got {PollInterval}.");
    }

    private static void NotEmpty(string value, string key)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ConfigurationException($"{Prefix}.{key}: expected a value, got an empty one.");
        }
    }

    private static void AtLeastOne(int value, string key)
    {
        if (value < 1)
        {
            throw new ConfigurationException($"{Prefix}.{key}: expected 1 or more, got {value}.");
        }
    }
}
