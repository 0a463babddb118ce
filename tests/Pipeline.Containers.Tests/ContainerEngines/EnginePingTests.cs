using System.Net.Http;
using Pipeline.Containers.ContainerEngines;
using Xunit;

namespace Pipeline.Containers.Tests.ContainerEngines;

/// <summary>
/// Connecting reads the engine from <c>/_ping</c>'s headers (Podman's <c>/version</c> takes seconds). The header
/// shapes are Podman 4.3's as a real service sends them (see ContainerEngineDiscoveryTests for the live connection)
/// and Docker Engine's documented <c>/_ping</c> headers.
/// </summary>
public sealed class EnginePingTests
{
    [Fact]
    public void Podmans_ping_names_libpod_its_version_and_the_api_version()
    {
        var ping = Parse(("Api-Version", "1.41"), ("Libpod-Api-Version", "4.3.1"), ("Server", "Libpod/4.3.1 (linux)"));

        Assert.True(ping.IsPodman);
        Assert.Equal("1.41", ping.ApiVersion);
        Assert.Equal("4.3.1", ping.ProductVersion);
        Assert.Equal("linux", ping.Os);
    }

    [Fact]
    public void Dockers_ping_names_docker_and_its_os_type()
    {
        var ping = Parse(("Api-Version", "1.47"), ("Ostype", "linux"), ("Server", "Docker/27.3.1 (linux)"));

        Assert.False(ping.IsPodman);
        Assert.Equal("1.47", ping.ApiVersion);
        Assert.Equal("27.3.1", ping.ProductVersion);
        Assert.Equal("linux", ping.Os);
    }

    [Fact]
    public void An_engine_that_names_nothing_leaves_every_field_unknown()
    {
        var ping = Parse();

        Assert.False(ping.IsPodman);
        Assert.Null(ping.ApiVersion);
        Assert.Null(ping.ProductVersion);
        Assert.Null(ping.Os);
    }

    private static EnginePing Parse(params (string Name, string Value)[] headers)
    {
        using var response = new HttpResponseMessage();
        foreach (var (name, value) in headers)
            response.Headers.TryAddWithoutValidation(name, value);
        return EnginePing.From(response.Headers);
    }
}
