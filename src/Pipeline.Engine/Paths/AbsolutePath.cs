namespace Pipeline.Engine.Paths;

/// <summary>A normalised absolute path that composes with <c>/</c>, as in NUKE: <c>RootDirectory / "artifacts" /
/// "images"</c>.</summary>
public sealed record AbsolutePath
{
    public AbsolutePath(string path)
    {
        if (!Path.IsPathRooted(path))
            throw new ArgumentException($"'{path}' is not an absolute path", nameof(path));
        Value = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
    }

    public string Value { get; }

    public string Name => Path.GetFileName(Value);

    public AbsolutePath Parent => new(Path.GetDirectoryName(Value) ?? Value);

    public bool Exists => File.Exists(Value) || Directory.Exists(Value);

    public static AbsolutePath operator /(AbsolutePath left, string right) => new(Path.Combine(left.Value, right));

    public static implicit operator string(AbsolutePath path) => path.Value;

    /// <summary>Creates the directory if needed and returns it.</summary>
    public AbsolutePath CreateDirectory()
    {
        Directory.CreateDirectory(Value);
        return this;
    }

    /// <summary>The path relative to <paramref name="root"/>, with forward slashes (for annotations and
    /// reports).</summary>
    public string RelativeTo(AbsolutePath root) => Path.GetRelativePath(root.Value, Value).Replace('\\', '/');

    public override string ToString() => Value;
}
