namespace Pipeline.Engine.Cli;

/// <summary>How many of the tokens after an option are its values.</summary>
internal enum OptionArity
{
    /// <summary>No value (<c>--plan</c>); an explicit one only as <c>--plan=false</c> or a following
    /// true/false/1/0/yes/no.</summary>
    Switch,

    /// <summary>Exactly the next token (<c>--root path</c>, <c>--image-name svc</c>).</summary>
    One,

    /// <summary>The next token only when it has the value's form (<c>--parallel</c> or <c>--parallel 4</c>).</summary>
    Optional,

    /// <summary>Every following token up to the next option (<c>--skip Lint Test</c>), possibly none.</summary>
    List,
}
