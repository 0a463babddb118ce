using Pipeline.Components.Services;
using Pipeline.Engine;
using Pipeline.Engine.Results;

namespace Pipeline.Components.Registry;

/// <summary>What Promote copied for one service (<see cref="IPromote.ServicePromotions"/>).</summary>
public sealed record ServicePromotion(string Service, string Image, PromotedImage Promotion) : IResultPart
{
    string IResultPart.Part => Service;
}
