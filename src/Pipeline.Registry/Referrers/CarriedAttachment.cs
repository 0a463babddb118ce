using Pipeline.Registry.Images;

namespace Pipeline.Registry.Referrers;

/// <summary>An attachment a copy takes along, with the manifest it describes (the image, or a child of its
/// index).</summary>
internal sealed record CarriedAttachment(Descriptor Subject, Attachment Attachment);
