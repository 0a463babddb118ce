using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Paths;

namespace Pipeline.Engine.Results;

/// <summary>
/// Typed target results on disk: <c>artifacts/results/&lt;Target&gt;.&lt;Member&gt;.json</c>, an envelope naming the
/// target, the member and the CLR type around the value, with its JSON schema in
/// <c>&lt;Target&gt;.&lt;Member&gt;.schema.json</c>.
/// <para>
/// How a cache (or another job) carries a target's results: when a target succeeds the engine has already called
/// <see cref="Save"/> for each of its <see cref="DeclaredResult"/>s, so a snapshot is exactly the files
/// <see cref="FilesOf"/> names plus the target's declared product files. To restore, put those files back under
/// <c>artifacts/results/</c> and call <see cref="Restore"/> for each declared result: its member then reads the value
/// in this run as if the target had run here. A target skipped with <c>--skip</c> is restored this way automatically,
/// which is how a later job hands work on (<c>./build.sh PushGar --skip BuildImage</c> after downloading artifacts/).
/// </para>
/// </summary>
public static class ResultStore
{
    private const int Format = 1;

    public static AbsolutePath DirectoryOf(AbsolutePath root) => root / "artifacts" / "results";

    /// <summary>The result file and its schema, whether or not they exist yet.</summary>
    public static IReadOnlyList<AbsolutePath> FilesOf(AbsolutePath root, DeclaredResult result) =>
        [DirectoryOf(root) / result.FileName, DirectoryOf(root) / result.SchemaFileName];

    /// <summary>Writes the result's current value (masked) and schema; returns the files written, none when the target
    /// set no value.</summary>
    public static IReadOnlyList<AbsolutePath> Save(BuildContext context, DeclaredResult result)
    {
        if (context.Results.Get(result.Key) is not { } value)
            return [];
        var options = ResultJson.Options(context.RootDirectory);
        var directory = DirectoryOf(context.RootDirectory).CreateDirectory();
        var envelope = Envelope(result, JsonSerializer.SerializeToNode(value, result.Type, options));
        var schema = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["title"] = $"{result.Target}.{result.Name} ({result.Type.FullName})",
            ["type"] = "object",
            ["required"] = new JsonArray("format", "target", "result", "type", "value"),
            ["properties"] = new JsonObject
            {
                ["$schema"] = new JsonObject { ["type"] = "string" },
                ["format"] = new JsonObject { ["const"] = Format },
                ["target"] = new JsonObject { ["const"] = result.Target },
                ["result"] = new JsonObject { ["const"] = result.Name },
                ["type"] = new JsonObject { ["const"] = result.Type.FullName },
                ["value"] = ResultJson.Schema(result.Type, options),
            },
        };
        WriteAtomically(directory / result.SchemaFileName, schema.ToJsonString(options));
        WriteAtomically(directory / result.FileName, context.Masker.Mask(envelope.ToJsonString(options)));
        SyncParts(context, result);
        return FilesOf(context.RootDirectory, result);
    }

    /// <summary>
    /// The part files of a result whose elements are <see cref="IResultPart"/>s: one per element of the current value,
    /// and none left from another run in this folder (a cache hit calls this after restoring the main file).
    /// </summary>
    public static void SyncParts(BuildContext context, DeclaredResult result)
    {
        if (PartType(result.Type) is not { } element)
            return;
        foreach (var stale in PartFilesOf(context.RootDirectory, result))
            File.Delete(stale);
        if (context.Results.Get(result.Key) is not System.Collections.IEnumerable value)
            return;
        var options = ResultJson.Options(context.RootDirectory);
        foreach (var part in value.Cast<IResultPart>())
        {
            var one = NewList(element);
            one.Add(part);
            var envelope = Envelope(result, JsonSerializer.SerializeToNode(one, result.Type, options));
            WriteAtomically(
                DirectoryOf(context.RootDirectory) / PartFileName(result, part.Part),
                context.Masker.Mask(envelope.ToJsonString(options))
            );
        }
    }

    /// <summary>The part files of a result in artifacts/results/ (none for results that are not lists of
    /// parts).</summary>
    public static IReadOnlyList<AbsolutePath> PartFilesOf(AbsolutePath root, DeclaredResult result)
    {
        var directory = DirectoryOf(root);
        return PartType(result.Type) is null || !Directory.Exists(directory)
            ? []
            : Directory
                .GetFiles(directory, $"{result.Target}.{result.Name}.*{PartSuffix}")
                .Order(StringComparer.Ordinal)
                .Select(f => new AbsolutePath(f))
                .ToList();
    }

    private const string PartSuffix = ".part.json";

    private static string PartFileName(DeclaredResult result, string part) =>
        $"{result.Target}.{result.Name}.{string.Concat(part.Select(FileNameSafe))}{PartSuffix}";

    private static char FileNameSafe(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_';

    /// <summary>The element type when the result is a list of <see cref="IResultPart"/> a <c>List&lt;T&gt;</c> can
    /// stand for.</summary>
    private static Type? PartType(Type type)
    {
        var enumerable =
            type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>)
                ? type
                : type.GetInterfaces()
                    .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        var element = enumerable?.GetGenericArguments()[0];
        return
            element is not null
            && typeof(IResultPart).IsAssignableFrom(element)
            && type.IsAssignableFrom(typeof(List<>).MakeGenericType(element))
            ? element
            : null;
    }

    private static System.Collections.IList NewList(Type element) =>
        (System.Collections.IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;

    private static JsonObject Envelope(DeclaredResult result, JsonNode? value) =>
        new()
        {
            ["$schema"] = "./" + result.SchemaFileName,
            ["format"] = Format,
            ["target"] = result.Target,
            ["result"] = result.Name,
            ["type"] = result.Type.FullName,
            ["value"] = value,
        };

    /// <summary>
    /// Loads the result file into this run; false when there is none. A file that does not hold this result (another
    /// target, member or type, or a value that does not fit the type) stops the build with one line naming the file.
    /// With <paramref name="withParts"/> (a target skipped by --skip: another job's or leg's work), a list of
    /// <see cref="IResultPart"/>s is the main file joined with every part file, a part file winning over the main
    /// file's element of the same part.
    /// </summary>
    public static bool Restore(BuildContext context, DeclaredResult result, bool withParts = false)
    {
        var path = DirectoryOf(context.RootDirectory) / result.FileName;
        var parts = withParts ? PartFilesOf(context.RootDirectory, result) : [];
        if (!File.Exists(path) && parts.Count == 0)
            return false;
        var value = File.Exists(path) ? Load(context, result, path) : null;
        if (parts.Count > 0)
        {
            var joined = new List<IResultPart>(
                value is System.Collections.IEnumerable main
                    ? main.Cast<IResultPart>()
                    : Enumerable.Empty<IResultPart>()
            );
            foreach (
                var part in parts.SelectMany(p =>
                    ((System.Collections.IEnumerable)Load(context, result, p)).Cast<IResultPart>()
                )
            )
            {
                var at = joined.FindIndex(j => j.Part == part.Part);
                if (at >= 0)
                    joined[at] = part;
                else
                    joined.Add(part);
            }

            var list = NewList(PartType(result.Type)!);
            foreach (var part in joined)
                list.Add(part);
            value = list;
        }

        context.Results.Set(result.Key, value!);
        return true;
    }

    private static object Load(BuildContext context, DeclaredResult result, AbsolutePath path)
    {
        var where = path.RelativeTo(context.RootDirectory);
        try
        {
            var envelope =
                JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new JsonException("not a JSON object");
            Expect(envelope, "format", Format.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Expect(envelope, "target", result.Target);
            Expect(envelope, "result", result.Name);
            Expect(envelope, "type", result.Type.FullName!);
            return envelope["value"].Deserialize(result.Type, ResultJson.Options(context.RootDirectory))
                ?? throw new JsonException("\"value\" is null");
        }
        catch (Exception e)
            when (e is JsonException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            throw new BuildFailure(
                $"{where}: cannot restore {result} ({result.Type.Name}): {e.Message.Split('\n')[0]}",
                where,
                inner: e
            );
        }
    }

    private static void Expect(JsonObject envelope, string name, string expected)
    {
        var actual = envelope[name]?.ToString();
        if (actual != expected)
            throw new JsonException(
                $"\"{name}\" is '{actual}', expected '{expected}' (written by another version of the build?)"
            );
    }

    private static void WriteAtomically(AbsolutePath path, string text)
    {
        var partial = path + ".partial";
        File.WriteAllText(partial, text + "\n");
        File.Move(partial, path, overwrite: true);
    }
}
