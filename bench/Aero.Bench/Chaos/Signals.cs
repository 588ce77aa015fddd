using System.Diagnostics;
using System.Globalization;

namespace Aero.Bench.Chaos;

/// <summary>POSIX signals to other processes, through kill(1), as an operator (or Kubernetes) would send them.</summary>
internal static class Signals
{
    public static async Task SendAsync(string signal, params IEnumerable<int> processIds)
    {
        var ids = processIds.Select(id => id.ToString(CultureInfo.InvariantCulture)).ToList();
        if (ids.Count == 0)
        {
            return;
        }

        using var kill = Process.Start("kill", [$"-{signal}", .. ids])!;
        await kill.WaitForExitAsync();
    }
}
