namespace Pipeline.Components.Tests.Setup;

/// <summary>
/// Tests that start this repository's compiled build (<c>_build.dll</c> beside the tests) as processes, some as root
/// and one as another user. Under coverage those assemblies are the instrumented copies, and each process adds its hits
/// to one file per assembly in the temp folder when it exits: a root process leaves that file root-owned, and a
/// non-root build then dies at exit on "Permission denied". One collection, so no root build writes while a non-root
/// one runs.
/// </summary>
[CollectionDefinition(Name)]
public sealed class CompiledBuildProcesses
{
    public const string Name = "compiled build as a process";

    /// <summary>Coverlet's hit files (<c>&lt;assembly&gt;_&lt;guid&gt;</c> in the temp folder) made writable by every
    /// user.</summary>
    public static void LetEveryUserWriteCoverageHits()
    {
        const UnixFileMode everyone =
            UnixFileMode.UserRead
            | UnixFileMode.UserWrite
            | UnixFileMode.GroupRead
            | UnixFileMode.GroupWrite
            | UnixFileMode.OtherRead
            | UnixFileMode.OtherWrite;
        foreach (var hits in Directory.EnumerateFiles(Path.GetTempPath(), "*_*-*-*-*-*"))
        {
            // "<assembly>_<guid>": Pipeline.Engine_…, _build_… and every other instrumented module.
            if (!Guid.TryParse(Path.GetFileName(hits)[(Path.GetFileName(hits).LastIndexOf('_') + 1)..], out _))
                continue;

            try
            {
                File.SetUnixFileMode(hits, everyone);
            }
            catch (IOException)
            {
                // gone meanwhile: the next process creates it anew
            }
            catch (UnauthorizedAccessException)
            {
                // another user's file: that user's process can write it
            }
        }
    }
}
