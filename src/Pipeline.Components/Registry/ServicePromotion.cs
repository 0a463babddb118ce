using Pipeline.Components.Services;
using Pipeline.Engine;

namespace Pipeline.Components.Registry;

/// <summary>What Promote copied for one service (<see cref="IPromote.ServicePromotions"/>).</summary>
public sealed record ServicePromotion(string Service, string Image, PromotedImage Promotion) : IResultPart
{
    string IResultPart.Part => Service;
}
