using System.Diagnostics;

namespace Aero.Bench;

/// <summary>The process's CPU time (all threads, user and system) since it was started.</summary>
internal readonly struct CpuClock
{
    private readonly Process _process;
    private readonly TimeSpan _start;

    private CpuClock(Process process)
    {
        _process = process;
        process.Refresh();
        _start = process.TotalProcessorTime;
    }

    public TimeSpan Elapsed
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime - _start;
        }
    }

    public static CpuClock Start(Process process) => new(process);
}
