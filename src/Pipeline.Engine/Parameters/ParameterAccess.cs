using System.Linq.Expressions;
using Pipeline.Engine.Execution;

namespace Pipeline.Engine.Parameters;

/// <summary>
/// How get-only parameters on component interfaces read their resolved value, NUKE-style:
/// <c>[Parameter("Registry host")] string RegistryHost => this.Get(() => RegistryHost, "127.0.0.1:5000");</c>
/// The expression is only inspected for the member's name; it is never invoked.
/// </summary>
public static class ParameterAccess
{
    public static T? Get<T>(this IPipelineBuild build, Expression<Func<T>> parameter) =>
        BuildContext.Current.Parameters.TryGet<T>(MemberName(parameter), out var value) ? value : default;

    public static T Get<T>(this IPipelineBuild build, Expression<Func<T>> parameter, T fallback) =>
        BuildContext.Current.Parameters.TryGet<T>(MemberName(parameter), out var value) && value is not null
            ? value
            : fallback;

    internal static string MemberName(LambdaExpression expression) =>
        expression.Body switch
        {
            MemberExpression member => member.Member.Name,
            UnaryExpression { Operand: MemberExpression member } => member.Member.Name,
            _ => throw new ArgumentException($"'{expression}' does not name a parameter member"),
        };
}
