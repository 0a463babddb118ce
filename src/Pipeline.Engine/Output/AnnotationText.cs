namespace Pipeline.Engine.Output;

/// <summary>
/// How an annotation reads as a plain line: <c>file:line: message</c>, unless the message already names the place
/// (<c>Containerfile:3: unknown instruction</c>), so a location is never printed twice.
/// </summary>
internal static class AnnotationText
{
    public static string Format(string message, string? file, int? line)
    {
        if (file is null || message.Contains(file, StringComparison.Ordinal))
            return message;
        var name = Path.GetFileName(file);
        if (line is not null && message.Contains($"{name}:{line}", StringComparison.Ordinal))
            return message;
        return line is null ? $"{file}: {message}" : $"{file}:{line}: {message}";
    }
}
