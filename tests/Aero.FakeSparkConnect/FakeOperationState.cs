namespace Aero.FakeSparkConnect;

public enum FakeOperationState
{
    Running,
    Completed,
    Failed,
    Interrupted,
}
