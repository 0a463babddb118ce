namespace Pipeline.Retention;

/// <summary>Which versions a rule looks at, as in Artifact Registry cleanup policies.</summary>
public enum TagState
{
    Any,
    Tagged,
    Untagged,
}
