namespace Pipeline.Deploy.Environments;

/// <summary>The two places a release can run in: HAProxy servers <c>a</c> and <c>b</c>, each with its own host
/// port.</summary>
public enum Slot
{
    A = 0,
    B = 1,
}

public static class SlotNames
{
    public static string ServerName(this Slot slot) => slot == Slot.A ? "a" : "b";

    public static Slot Other(this Slot slot) => slot == Slot.A ? Slot.B : Slot.A;

    public static Slot? Parse(string? text) =>
        text switch
        {
            "a" => Slot.A,
            "b" => Slot.B,
            _ => null,
        };
}
