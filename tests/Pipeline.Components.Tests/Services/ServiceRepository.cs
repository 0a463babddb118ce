using Pipeline.Components.Tests.Containers;

namespace Pipeline.Components.Tests.Services;

/// <summary>
/// A real git repository with three small services as deploy/config.env declares them: <c>api</c> (its own context),
/// and <c>web</c> and <c>landing</c>, which both take the shared folder <c>deploy/services/shared</c> as an input.
/// Every file is a COPY-only image, so Podman builds each in a second.
/// </summary>
internal sealed class ServiceRepository : IDisposable
{
    public const string Config = """
        # three services; web and landing share deploy/services/shared
        SERVICE_NAMES=api,web,landing
        SERVICE_API_CONTEXT=deploy/services/api
        SERVICE_API_IMAGE=svc-api
        SERVICE_API_PORT=8080
        SERVICE_API_HEALTH_PATH=/health
        SERVICE_WEB_CONTEXT=deploy/services
        SERVICE_WEB_CONTAINERFILE=deploy/services/web/Containerfile
        SERVICE_WEB_IMAGE=svc-web
        SERVICE_WEB_INPUTS=deploy/services/web/**,deploy/services/shared/**
        SERVICE_LANDING_CONTEXT=deploy/services
        SERVICE_LANDING_CONTAINERFILE=deploy/services/landing/Containerfile
        SERVICE_LANDING_IMAGE=svc-landing
        SERVICE_LANDING_INPUTS=deploy/services/landing/**,deploy/services/shared/**
        """;

    public ServiceRepository(string? config = null)
    {
        Root = Directory.CreateTempSubdirectory("pipeline-services-").FullName;
        Write("deploy/config.env", (config ?? Config) + "\n");
        Write("deploy/services/api/Containerfile", "FROM scratch\nCOPY api.txt /srv/api.txt\n");
        Write("deploy/services/api/api.txt", "api v1\n");
        Write("deploy/services/web/Containerfile", "FROM scratch\nCOPY web/index.html /srv/index.html\nCOPY shared/ /srv/shared/\n");
        Write("deploy/services/web/index.html", "<h1>web</h1>\n");
        Write("deploy/services/landing/Containerfile", "FROM scratch\nCOPY landing/index.html /srv/index.html\nCOPY shared/site.css /srv/site.css\n");
        Write("deploy/services/landing/index.html", "<h1>landing</h1>\n");
        Write("deploy/services/shared/site.css", "body { margin: 0 }\n");
        Write(".gitignore", "artifacts/\n.nuke/temp/\n");
        Base = ContainerBuildRun.InitRepository(Root);
    }

    public string Root { get; }

    /// <summary>The first commit: what later changes are measured against.</summary>
    public string Base { get; }

    public void Write(string path, string text)
    {
        var full = Path.Combine(Root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    /// <summary>Changes files and commits them; returns the new commit.</summary>
    public string Commit(params (string Path, string Text)[] files)
    {
        foreach (var (path, text) in files) Write(path, text);
        Git("add", "-A");
        Git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "change");
        return Git("rev-parse", "HEAD").Trim();
    }

    public string Git(params string[] args) => Pipeline.Testing.GitProcess.Run(Root, args);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // a container engine may still hold a file for a moment; the temp folder is cleaned by the OS
        }
    }
}
