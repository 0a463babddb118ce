using Pipeline.Registry.Archives;
using Pipeline.SupplyChain.Attaching;
using Pipeline.SupplyChain.Provenance;
using Pipeline.SupplyChain.Sbom;
using Pipeline.SupplyChain.Signing;
using Pipeline.SupplyChain.Verification;

namespace Pipeline.SupplyChain.Tests.Support;

/// <summary>A small image in a local OCI layout, signed with provenance and SBOM attached the way the push targets do
/// it.</summary>
public static class SignedImage
{
    public const string Repository = "https://github.com/pipeline-build/sample";

    public static BuildFacts Facts(string gitRef = "refs/heads/main") =>
        new()
        {
            BuilderId = "https://github.com/pipeline-build/sample/.github/workflows/main.yml@refs/heads/main",
            Repository = Repository,
            Commit = "0123456789abcdef0123456789abcdef01234567",
            Ref = gitRef,
            Workflow = ".github/workflows/main.yml",
            InvocationId = "https://github.com/pipeline-build/sample/actions/runs/1/attempts/1",
            Parameters = new Dictionary<string, string> { ["imageName"] = "app" },
        };

    public static async Task<(ImportedImage Image, AttachedSet Attached)> CreateAsync(
        TempFolder scratch,
        ISigner signer,
        string repositoryName,
        string gitRef = "refs/heads/main",
        int seed = 1
    )
    {
        var image = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(scratch[$"image-{seed}.tar"], 2, 30_000, seed: seed),
            scratch["layout"]
        );
        var sbom = await ImageSbom.CreateAsync(
            image.Layout,
            image.Manifest,
            repositoryName,
            DateTimeOffset.UnixEpoch,
            []
        );
        var attached = await new ImageAttestor(signer).AttachAsync(
            image.Layout,
            image.Manifest,
            repositoryName,
            Facts(gitRef),
            sbom
        );
        return (image, attached);
    }

    public static VerificationPolicy Policy(ISigner signer) =>
        new()
        {
            Keys = [VerificationKey.FromPem(signer.PublicKeyPem, "test public key")],
            Repository = Repository,
            AllowedRefs = ["main", "v*"],
        };
}
