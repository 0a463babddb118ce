using System.Linq.Expressions;
using System.Reflection;
using Pipeline.Engine;

namespace Pipeline.Components.Release;

/// <summary>
/// What the build's targets declare with <c>.Produces(...)</c>: each target delegate is replayed against a recorder that
/// keeps only the declared paths (nothing executes). This reads any build through the public target API.
/// </summary>
internal static class DeclaredProducts
{
    public static IReadOnlyList<(string Target, string Pattern)> Of(IPipelineBuild build)
    {
        var found = new List<(string, string)>();
        var types = new[] { build.GetType() }.Concat(build.GetType().GetInterfaces());
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in types.SelectMany(t => t.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)))
        {
            if (property.PropertyType != typeof(Target) || property.GetIndexParameters().Length > 0 || !seen.Add(property.Name)) continue;
            if (property.GetValue(build) is not Target target) continue;
            var recorder = new Recorder();
            try
            {
                target(recorder);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A definition that cannot be replayed outside the engine declares nothing we can see.
                continue;
            }

            found.AddRange(recorder.Products.Select(p => (property.Name, p)));
        }

        return found;
    }

    private sealed class Recorder : ITargetDefinition
    {
        public List<string> Products { get; } = [];

        public ITargetDefinition Produces(params string[] paths)
        {
            Products.AddRange(paths);
            return this;
        }

        public ITargetDefinition Description(string text) => this;
        public ITargetDefinition Unlisted() => this;
        public ITargetDefinition DependsOn(params Target[] targets) => this;
        public ITargetDefinition After(params Target[] targets) => this;
        public ITargetDefinition Before(params Target[] targets) => this;
        public ITargetDefinition Triggers(params Target[] targets) => this;
        public ITargetDefinition TriggeredBy(params Target[] targets) => this;
        public ITargetDefinition DependsOn<T>(params Func<T, Target>[] targets) where T : IPipelineBuild => this;
        public ITargetDefinition TryDependsOn<T>(params Func<T, Target>[] targets) where T : IPipelineBuild => this;
        public ITargetDefinition After<T>(params Func<T, Target>[] targets) where T : IPipelineBuild => this;
        public ITargetDefinition TryAfter<T>(params Func<T, Target>[] targets) where T : IPipelineBuild => this;
        public ITargetDefinition Before<T>(params Func<T, Target>[] targets) where T : IPipelineBuild => this;
        public ITargetDefinition TryBefore<T>(params Func<T, Target>[] targets) where T : IPipelineBuild => this;
        public ITargetDefinition Triggers<T>(params Func<T, Target>[] targets) where T : IPipelineBuild => this;
        public ITargetDefinition TryTriggers<T>(params Func<T, Target>[] targets) where T : IPipelineBuild => this;
        public ITargetDefinition TriggeredBy<T>(params Func<T, Target>[] targets) where T : IPipelineBuild => this;
        public ITargetDefinition TryTriggeredBy<T>(params Func<T, Target>[] targets) where T : IPipelineBuild => this;
        public ITargetDefinition OnlyWhenStatic(Func<bool> condition, string? because = null) => this;
        public ITargetDefinition OnlyWhenDynamic(Func<bool> condition, string? because = null) => this;
        public ITargetDefinition Requires<T>(Expression<Func<T>> parameter) => this;
        public ITargetDefinition Requires(Expression<Func<bool>> condition) => this;
        public ITargetDefinition ProceedAfterFailure() => this;
        public ITargetDefinition AssuredAfterFailure() => this;
        public ITargetDefinition Executes(Action action) => this;
        public ITargetDefinition Executes(Func<Task> action) => this;
    }
}
