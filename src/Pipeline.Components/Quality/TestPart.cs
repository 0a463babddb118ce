using Pipeline.Engine.Caching;
using Pipeline.Quality.Testing;

namespace Pipeline.Components.Quality;

/// <summary>One test project in Test's cache: its record and, when it was restored, the hit.</summary>
internal sealed record TestPart(TestProject Project, CacheRecord Record, CacheHit? Hit);
