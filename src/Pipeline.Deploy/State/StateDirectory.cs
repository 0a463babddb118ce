namespace Pipeline.Deploy.State;

/// <summary>
/// The per-user folder for state that belongs to the machine and its environments, not to a checkout:
/// <c>$XDG_STATE_HOME/pipeline</c>, else <c>~/.local/state/pipeline</c> (XDG Base Directory spec). A checkout can be
/// deleted or re-cloned without losing the deploy ledger or the local switch.
/// </summary>
public static class StateDirectory
{
    public static string Resolve(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var xdg = environment("XDG_STATE_HOME");
        if (!string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg)) return Path.Combine(xdg, "pipeline");
        var home = environment("HOME");
        if (string.IsNullOrWhiteSpace(home)) home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".local", "state", "pipeline");
    }
}
