using Pipeline.Registry;

namespace Pipeline.Containers.Images;

/// <summary>
/// Image names and tags checked against the OCI reference grammar. The grammar itself lives once, in
/// <see cref="Reference"/> (Pipeline.Registry); this only turns its errors into the container layer's own.
/// </summary>
public static class ImageNames
{
    public const int MaxTagLength = Reference.MaxTagLength;

    public static void ValidateTag(string tag, string source) => Translate(() => Reference.ValidateTag(tag, source));

    /// <summary>A repository path without registry, e.g. <c>IMAGE_NAME</c>.</summary>
    public static void ValidateRepository(string repository, string source) =>
        Translate(() => Reference.ValidateRepository(repository, source));

    /// <summary>A full reference such as <c>localhost/app:1</c>.</summary>
    public static void ValidateReference(string text, string source) => Translate(() => Reference.Parse(text, source));

    private static void Translate(Action validate)
    {
        try
        {
            validate();
        }
        catch (InvalidReferenceException e)
        {
            throw new InvalidImageReferenceException(e.Message);
        }
    }
}
