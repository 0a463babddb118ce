using Pipeline.Deploy.Environments;
using Pipeline.Deploy.Settings;
using Pipeline.Testing.Quality;

namespace Pipeline.Deploy.Tests.Environments;

/// <summary>The table of DEPLOY_&lt;ENV&gt;_* keys is the one place their defaults live: each is valid by its own
/// type, and deploy/config.env documents every key with the table's default.</summary>
public class DeployEnvironmentKeysTests
{
    [Fact]
    public void Every_default_is_a_valid_value_of_its_key() =>
        Assert.All(
            DeployEnvironmentKeys.All.Where(k => k.DefaultText is not null),
            key => Assert.True(DefaultParses.Of(key), $"{key.Name}: default '{key.DefaultText}' is not valid")
        );

    [Fact]
    public void The_keys_the_deploy_component_declares_are_the_table()
    {
        Assert.Equal(DeployEnvironmentKeys.All.Select(k => k.Name), DeploySettings.All);
        Assert.Equal(DeploySettings.All.Count, DeploySettings.All.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Config_env_documents_every_key_with_the_table_default()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "deploy", "config.env"))
            .Where(l => l.StartsWith('#'))
            .ToList();
        var text = string.Join('\n', lines);

        Assert.All(
            DeployEnvironmentKeys.All,
            key =>
            {
                Assert.Matches($@"\b{key.Name}\b", text);
                if (key.DefaultText is { } value)
                    Assert.True(
                        text.Contains($"default {value}", StringComparison.Ordinal)
                            || text.Contains($"default: {value}", StringComparison.Ordinal),
                        $"deploy/config.env does not give {key.Name}'s default {value}"
                    );
            }
        );
    }

    [Fact]
    public void A_missing_required_key_says_what_it_is_for() =>
        Assert.Equal(
            "not set; the registry the environment pulls from: gar, ghcr or local",
            DeployEnvironmentKeys.Registry.NotSet
        );

    private sealed class DefaultParses : ISettingVisitor
    {
        private bool _valid;

        public static bool Of(SettingKey key)
        {
            var visitor = new DefaultParses();
            key.Accept(visitor);
            return visitor._valid;
        }

        public void Visit<T>(SettingKey<T> key) => _valid = key.Type.Parse(key.Type.Format(key.Default)).Valid;
    }
}
