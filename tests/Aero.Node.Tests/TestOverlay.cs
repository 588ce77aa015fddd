namespace Aero.Node.Tests;

/// <summary>
/// A spec's own configuration file. <c>--config FILE</c> takes the place of the overlay AERO_ENV=test names, so a file
/// that does not start from hocon/test.conf runs on aero.conf's fixed ports (admin 9110) and collides with any other
/// node on the machine (issue 13 §3).
/// </summary>
public static class TestOverlay
{
    /// <summary>Writes hocon/test.conf followed by <paramref name="hocon"/> to <paramref name="path"/>; returns the path.</summary>
    public static async Task<string> WriteAsync(string path, string hocon)
    {
        var overlay = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "hocon", "test.conf"));
        await File.WriteAllTextAsync(path, overlay + "\n" + hocon + "\n");
        return path;
    }
}
