using Pipeline.Components.Packages;
using Pipeline.Engine;

namespace Pipeline.Components.Tests.Packages;

/// <summary>A library repository's build: Pack and PublishPackages only.</summary>
public sealed class PackBuild : PipelineBuild, IPublishPackages;
