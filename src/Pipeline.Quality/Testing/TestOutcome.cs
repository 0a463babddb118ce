namespace Pipeline.Quality.Testing;

public enum TestOutcome
{
    Passed,
    Failed,
    Skipped,
}
