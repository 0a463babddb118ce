using System.Linq.Expressions;
using System.Reflection;
using Pipeline.Engine.Execution;

namespace Pipeline.Engine.Results;

/// <summary>
/// How a component exposes what its target produced as a typed member, the way parameters read their value:
/// <code>
/// BuiltImage? BuiltImage => this.Result(() => BuiltImage);          // read: null until BuildImage ran (or was
/// restored)
/// Target BuildImage => _ => _.Produces(() => BuiltImage).Executes(() => this.SetResult(() => BuiltImage, image));
/// </code>
/// Dependents read the member (<c>build.BuiltImage</c>), never a string key. Values live in the run's
/// <see cref="BuildContext"/>; the engine writes each declared result of a succeeded target to
/// <c>artifacts/results/</c> (see <see cref="ResultStore"/>). The expression is only inspected, never invoked.
/// </summary>
public static class ResultAccess
{
    public static T? Result<T>(this IPipelineBuild build, Expression<Func<T?>> member)
        where T : class => BuildContext.Current.Results.Get(ResultKey.Of(Member(member))) as T;

    public static void SetResult<T>(this IPipelineBuild build, Expression<Func<T?>> member, T value)
        where T : class =>
        BuildContext.Current.Results.Set(
            ResultKey.Of(Member(member)),
            value ?? throw new ArgumentNullException(nameof(value))
        );

    internal static PropertyInfo Member(LambdaExpression expression) =>
        expression.Body switch
        {
            MemberExpression { Member: PropertyInfo property } => property,
            UnaryExpression { Operand: MemberExpression { Member: PropertyInfo property } } => property,
            _ => throw new ArgumentException(
                $"'{expression}' does not name a result property (write () => BuiltImage)"
            ),
        };
}
