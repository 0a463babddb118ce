namespace Pipeline.Engine.Targets;

/// <summary>
/// A target is declared as a property returning this delegate, exactly like NUKE:
/// <c>Target Test => _ => _.DependsOn(Compile).Executes(() => ...);</c>
/// The engine calls the delegate once with a fresh definition to learn the target's shape.
/// </summary>
public delegate ITargetDefinition Target(ITargetDefinition _);
