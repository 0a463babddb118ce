using Pipeline.Components.Registry;
using Pipeline.Engine;

namespace Pipeline.Components.Services;

/// <summary>What Promote copied for one service (<see cref="IPromote.ServicePromotions"/>).</summary>
public sealed record ServicePromotion(string Service, string Image, PromotedImage Promotion) : IResultPart
{
    string IResultPart.Part => Service;
}
