using Pipeline.Components.Containers;

namespace Pipeline.Components.Services;

/// <summary>One service's image as BuildImage built it (<see cref="IBuildImage.ServiceImages"/>).</summary>
public sealed record ServiceImage(string Service, BuiltImage Image);
