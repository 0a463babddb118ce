namespace Pipeline.Deploy.Settings;

/// <summary>Walks a settings table whose rows have different value types: each row calls back with its
/// own.</summary>
public interface ISettingVisitor
{
    void Visit<T>(SettingKey<T> key);
}
