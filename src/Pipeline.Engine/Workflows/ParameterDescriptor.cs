using Pipeline.Engine.Parameters;

namespace Pipeline.Engine.Workflows;

/// <summary>
/// A build parameter as the workflow generator (and <c>--help</c>) sees it: the member, its UPPER_SNAKE key used by the
/// environment and <c>deploy/config.env</c>, its type, description and whether it is a <see cref="SecretAttribute"/>.
/// </summary>
public sealed record ParameterDescriptor(string Member, string Key, Type Type, string Description, bool IsSecret);
