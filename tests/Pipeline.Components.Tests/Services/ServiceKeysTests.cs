using Pipeline.Components.Services;
using Pipeline.Engine.Parameters;
using Pipeline.Testing.Quality;

namespace Pipeline.Components.Tests.Services;

/// <summary>The table of SERVICE_&lt;NAME&gt;_* keys is the one list of them: the component's key family, the change
/// detection's fields and docs/services.md all follow it.</summary>
public sealed class ServiceKeysTests
{
    [Fact]
    public void The_key_family_declares_exactly_the_table()
    {
        var family = (ConfigKeyFamilyAttribute)
            Attribute.GetCustomAttribute(typeof(IServices), typeof(ConfigKeyFamilyAttribute))!;

        Assert.Equal(ServiceSettings.Prefix, family.Prefix);
        Assert.Equal([ServiceKeys.Names.Name], family.Keys);
        Assert.Equal(ServiceKeys.PerService.Select(k => k.Name).Order(), family.NamedKeys.Order());
        Assert.Equal(ServiceKeys.PerService.Select(k => k.Name), ServiceSettings.Fields);
    }

    [Fact]
    public void Docs_show_every_key_and_the_table_defaults()
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "services.md"));

        Assert.All(ServiceKeys.PerService, key => Assert.Matches($@"SERVICE_[A-Z]+_{key.Name}=", docs));
        Assert.Contains($"default: {ServiceKeys.Context.DefaultText}", docs, StringComparison.Ordinal);
    }
}
