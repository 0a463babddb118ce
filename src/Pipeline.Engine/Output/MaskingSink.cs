namespace Pipeline.Engine.Output;

/// <summary>The one gate every line passes: secrets are replaced before any presentation sees the text.</summary>
internal sealed class MaskingSink(IOutputSink inner, SecretMasker masker) : IOutputSink
{
    public void Write(LogLevel level, string message) => inner.Write(level, masker.Mask(message));

    public void Annotate(LogLevel level, string message, string? file, int? line) =>
        inner.Annotate(level, masker.Mask(message), file, line);

    public void BeginGroup(string title) => inner.BeginGroup(masker.Mask(title));

    public void EndGroup() => inner.EndGroup();

    public IProgressReporter StartProgress(string title, long? total) =>
        new MaskedProgress(inner.StartProgress(masker.Mask(title), total), masker);

    private sealed class MaskedProgress(IProgressReporter inner, SecretMasker masker) : IProgressReporter
    {
        public void Report(long done, long? total = null, string? status = null) =>
            inner.Report(done, total, status is null ? null : masker.Mask(status));

        public void Dispose() => inner.Dispose();
    }
}
