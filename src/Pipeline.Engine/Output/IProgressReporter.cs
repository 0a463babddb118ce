namespace Pipeline.Engine.Output;

public interface IProgressReporter : IDisposable
{
    /// <summary>Reports how far the work is (bytes, items); <paramref name="total"/> may become known late.</summary>
    void Report(long done, long? total = null, string? status = null);
}
