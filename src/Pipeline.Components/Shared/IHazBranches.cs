using Pipeline.Engine;
using Pipeline.Engine.Parameters;

namespace Pipeline.Components.Shared;

/// <summary>The two branches the delivery model names: main (merged code, latest) and the release branch.</summary>
public interface IHazBranches : IPipelineBuild
{
    [Parameter("Main branch: its builds get the latest tag, and every hotfix must be backported to it")]
    string MainBranch => this.Get(() => MainBranch, "main");

    [Parameter("Branch releases are cut from")]
    string ReleaseBranch => this.Get(() => ReleaseBranch, "prod");
}
