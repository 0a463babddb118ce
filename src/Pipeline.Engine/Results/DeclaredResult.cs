using System.Reflection;

namespace Pipeline.Engine.Results;

/// <summary>
/// A result a target declares with <c>.Produces(() => Member)</c>: which target, which member, which type, and the file
/// it is persisted to (<c>artifacts/results/&lt;Target&gt;.&lt;Member&gt;.json</c>, schema alongside).
/// </summary>
public sealed class DeclaredResult
{
    internal DeclaredResult(string target, PropertyInfo member)
    {
        Target = target;
        Member = member;
        Name = member.Name[(member.Name.LastIndexOf('.') + 1)..];
        Key = ResultKey.Of(member);
    }

    /// <summary>The producing target's name, e.g. <c>BuildImage</c>.</summary>
    public string Target { get; }

    /// <summary>The member's name, e.g. <c>BuiltImage</c>.</summary>
    public string Name { get; }

    /// <summary>The member's CLR type: what the JSON file deserialises to.</summary>
    public Type Type => Member.PropertyType;

    internal PropertyInfo Member { get; }

    internal string Key { get; }

    /// <summary>File name under <c>artifacts/results/</c>.</summary>
    public string FileName => $"{Target}.{Name}.json";

    /// <summary>The JSON schema's file name, next to <see cref="FileName"/>.</summary>
    public string SchemaFileName => $"{Target}.{Name}.schema.json";

    public override string ToString() => $"{Target}.{Name}";
}
