namespace Pipeline.Engine.Targets;

/// <summary>
/// A relation to another target, resolved once the build instance is known.
/// Optional links (the Try* forms) vanish when the build does not implement the component.
/// </summary>
internal sealed record TargetLink(Func<object, Target?> Resolve, string Display, bool Optional)
{
    public static TargetLink Direct(Target target) => new(_ => target, target.Method.Name, Optional: false);

    public static TargetLink Typed<T>(Func<T, Target> select, bool optional) =>
        new(build => build is T component ? select(component) : null, typeof(T).Name, optional);
}
