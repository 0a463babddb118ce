using Pipeline.Engine.Results;

namespace Pipeline.Components.Containers;

/// <summary>One service's image as BuildImage built it (<see cref="IBuildImage.ServiceImages"/>).</summary>
public sealed record ServiceImage(string Service, BuiltImage Image) : IResultPart
{
    string IResultPart.Part => Service; // matrix legs' images (one service each) join into one list in a later job
}
