using Pipeline.Engine.Execution;

namespace Pipeline.Engine.Output;

/// <summary>Registers values that must never be shown (tokens obtained at run time, passwords read from
/// files).</summary>
public static class Secrets
{
    public static void Register(string? value) => BuildContext.Current.Masker.Add(value);

    /// <summary>Masks every registered secret in <paramref name="text"/>.</summary>
    public static string Mask(string text) => BuildContext.Current.Masker.Mask(text);
}
