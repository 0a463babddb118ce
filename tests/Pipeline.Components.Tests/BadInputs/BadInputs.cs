using Pipeline.Testing;

namespace Pipeline.Components.Tests.BadInputs;

/// <summary>
/// The table: at least one row per class of bad input (config file, parameter files, command line, environment,
/// image reference, tag, key file, registry answer, GitHub API address). Rows are named so a failure says which.
/// </summary>
internal static class BadInputs
{
    public static readonly BadInput[] All =
    [
        BadInput.ConfigLines("config.env unknown key", "IMAGE_NAM=svc\n", "deploy/config.env:1", "IMAGE_NAME"),
        BadInput.ConfigLines("config.env duplicate key", "GAR_PROJECT=a\nGAR_PROJECT=b\n", "deploy/config.env:2", "GAR_PROJECT"),
        BadInput.ConfigLines("config.env value of the wrong type", "LOCAL_REGISTRY_PORT=many\n", "deploy/config.env:1", "many"),
        BadInput.ConfigLines("config.env service setting that does not exist", "SERVICE_NAMES=svc\nSERVICE_SVC_CONTEXTT=svc\n", "deploy/config.env:2", "SERVICE_SVC_CONTEXTT"),
        BadInput.ConfigLines("config.env service listed twice", "SERVICE_NAMES=svc,svc\n", "deploy/config.env:1", "'svc' is listed twice"),
        new("parameters.json trailing content", 2, ".nuke/parameters.json", "")
        {
            Arrange = rig => BadInput.Committed(rig, ".nuke/parameters.json", "{ \"ImageName\": \"svc\" } }"),
        },
        new("port out of range on the command line", 2, "--local-registry-port", "70000") { Arguments = ["--local-registry-port", "70000"] },
        new("option misuse on the command line", 2, "--verbosity", "") { Arguments = ["--verbosity", "a", "b"] },
        new("root that does not exist", 2, "--root", "/missing/pipeline-root") { Arguments = ["--root", "/missing/pipeline-root"] },
        BadInput.Environment("port out of range in the environment", "LOCAL_REGISTRY_PORT", "-3", "LOCAL_REGISTRY_PORT", "-3"),
        new("image name that is no repository", 2, "--image-name", "Svc//Upper") { Arguments = ["--image-name", "Svc//Upper"] },
        new("tag that is no tag", 2, "--image-tags", "v1@bad") { Arguments = ["--image-tags", "v1@bad"] },
        new("registry host that is no host", 2, "--gar-host", "gar..example:99999") { Arguments = ["--gar-host", "gar..example:99999"] },
        new("GitHub API address that is no address", 2, "--github-api-url", "htps//github.example") { Arguments = ["--github-api-url", "htps//github.example"] },
        new("release time zone that does not exist", 2, "--release-time-zone", "Mars/Olympus") { Arguments = ["--release-time-zone", "Mars/Olympus"] },
        BadInput.Environment("service-account key of the wrong JSON shape", "GCP_SA_KEY", "{\"type\":\"service_account\",\"client_email\":42}", "GCP_SA_KEY", ""),
        BadInput.Environment("signing key file that cannot be read", "SIGNING_KEY", "{outside}/missing/signing.pem", "SIGNING_KEY", "nor an existing file"),
        BadInput.Environment("signing key PEM that is not a key", "SIGNING_KEY", "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n", "SIGNING_KEY", ""),
        BadInput.Services("service tag prefix that is no tag", "SERVICE_NAMES=api,web\nSERVICE_API_TAG_PREFIX=api/\nSERVICE_WEB_TAG_PREFIX=web-\n", "deploy/config.env:2", "is not a tag prefix"),
        BadInput.Services("service tag prefix on some services only", "SERVICE_NAMES=api,web\nSERVICE_WEB_TAG_PREFIX=web-\n", "deploy/config.env:2", "not for api"),
        BadInput.Registry(Sickness.ServerErrors, "503"),
        BadInput.Registry(Sickness.Garbage, ""),
        BadInput.Registry(Sickness.HeadersThenSilence, ""),
        BadInput.Environment("signing key that is a public key", "SIGNING_KEY", System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256).ExportSubjectPublicKeyInfoPem(), "SIGNING_KEY", "is a public key"),
    ];
}
