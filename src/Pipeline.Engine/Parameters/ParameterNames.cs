using System.Text;

namespace Pipeline.Engine.Parameters;

/// <summary>The spellings of one parameter: member <c>RegistryHost</c>, option <c>--registry-host</c>, key
/// <c>REGISTRY_HOST</c>.</summary>
public static class ParameterNames
{
    public static string ToUpperSnake(string member) => Join(member, '_').ToUpperInvariant();

    public static string ToKebab(string member) => Join(member, '-').ToLowerInvariant();

    /// <summary>What two spellings share when they name the same parameter: letters and digits, lower case.</summary>
    public static string Normalize(string name)
    {
        // A loop, not Where/Select over chars: those generic instantiations are JIT-compiled at every start, and this
        // runs for every parameter and every file key.
        var text = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (char.IsLetterOrDigit(c))
                text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }

    private static string Join(string member, char separator)
    {
        var text = new StringBuilder();
        for (var i = 0; i < member.Length; i++)
        {
            var c = member[i];
            // A word starts at an upper-case letter after a lower-case letter or digit, or before "Xy" in "HTTPServer".
            var startsWord =
                i > 0
                && char.IsUpper(c)
                && (
                    char.IsLower(member[i - 1])
                    || char.IsDigit(member[i - 1])
                    || (i + 1 < member.Length && char.IsLower(member[i + 1]) && char.IsUpper(member[i - 1]))
                );
            if (startsWord)
                text.Append(separator);
            text.Append(c);
        }

        return text.ToString();
    }
}
