namespace Pipeline.Engine;

/// <summary>
/// A build class sees its components' members through the interface (a class does not inherit default members):
/// <c>this.From&lt;IBuildImage&gt;().BuiltImage</c> reads better than a cast, as in NUKE.
/// </summary>
public static class ComponentAccess
{
    public static T From<T>(this IPipelineBuild build)
        where T : IPipelineBuild =>
        build is T component
            ? component
            : throw new InvalidOperationException($"the build does not implement {typeof(T).Name}");
}
