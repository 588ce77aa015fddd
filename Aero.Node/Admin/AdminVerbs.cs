using System.Collections.Immutable;

namespace Aero.Node.Admin;

/// <summary>Every <see cref="IAdminVerb"/> in this assembly, found by reflection so that adding a verb is adding its class.</summary>
public static class AdminVerbs
{
    public static readonly ImmutableArray<IAdminVerb> All =
    [
        .. typeof(IAdminVerb).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IAdminVerb).IsAssignableFrom(t))
            .Select(t => (IAdminVerb)Activator.CreateInstance(t)!)
            .OrderBy(v => v.Group, StringComparer.Ordinal)
            .ThenBy(v => v.Name, StringComparer.Ordinal),
    ];

    public static IAdminVerb? Find(string group, string name) =>
        All.FirstOrDefault(v => string.Equals(v.Group, group, StringComparison.Ordinal) && string.Equals(v.Name, name, StringComparison.Ordinal));

    /// <summary>The route a verb answers on.</summary>
    public static string Route(IAdminVerb verb) => $"admin/{verb.Group}/{verb.Name}";
}
