namespace Aero.Node.Metrics;

/// <summary>The <c>actortype</c> label: the type's short name (Phobos' convention), generic arguments dropped to bound cardinality.</summary>
public static class ActorTypes
{
    public static string Name(Type? type)
    {
        if (type is null)
        {
            return "unknown";
        }

        var tick = type.Name.IndexOf('`', StringComparison.Ordinal);
        return tick > 0 ? type.Name[..tick] : type.Name;
    }
}
