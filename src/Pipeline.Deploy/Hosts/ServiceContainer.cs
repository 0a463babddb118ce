using Pipeline.Deploy.Environments;

namespace Pipeline.Deploy.Hosts;

/// <summary>A container of the service on a host, read back from its labels.</summary>
public sealed record ServiceContainer(string Id, string Name, bool Running, DeployLabels Labels)
{
    public Slot? Slot => SlotNames.Parse(Labels.Slot);
}
