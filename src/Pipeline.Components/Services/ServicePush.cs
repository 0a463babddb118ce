using Pipeline.Components.Registry;

namespace Pipeline.Components.Services;

/// <summary>Where a push put one service's image (<see cref="IPushGhcr.GhcrServicePushes"/>, <see cref="IPushGar.GarServicePushes"/>).</summary>
public sealed record ServicePush(string Service, string Image, PushedImage Push);
