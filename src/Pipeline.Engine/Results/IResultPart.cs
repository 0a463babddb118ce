namespace Pipeline.Engine.Results;

/// <summary>
/// An element of a list-valued typed result that is one part of a whole (one service's push, one service's tag). The
/// engine also writes each element to <c>artifacts/results/&lt;Target&gt;.&lt;Member&gt;.&lt;Part&gt;.part.json</c>,
/// and a target restored by <c>--skip</c> reads the main file joined with every part file there. So workflow matrix
/// legs that each produce the result for their own part (one service each), downloaded into one folder, hand on the
/// whole list rather than whichever leg's main file was downloaded last. Implement it explicitly, so the part is not
/// serialised twice.
/// </summary>
public interface IResultPart
{
    /// <summary>The part's name, unique within the list; used in the file name (characters other than letters, digits,
    /// '-', '_' become '_').</summary>
    string Part { get; }
}
