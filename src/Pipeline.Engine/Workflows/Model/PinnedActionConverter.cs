using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Pipeline.Engine.Workflows.Model;

/// <summary>Writes a <see cref="PinnedAction"/> as <c>owner/name@&lt;commit&gt; # &lt;tag&gt;</c>: the commit as the
/// value, the tag as an inline comment.</summary>
internal sealed class PinnedActionConverter : IYamlTypeConverter
{
    public bool Accepts(Type type) => type == typeof(PinnedAction);

    public object ReadYaml(IParser parser, Type type, ObjectDeserializer rootDeserializer) =>
        throw new NotSupportedException("generated workflows are written, not read");

    public void WriteYaml(IEmitter emitter, object? value, Type type, ObjectSerializer serializer)
    {
        var action = (PinnedAction)value!;
        emitter.Emit(new Scalar(action.Reference));
        emitter.Emit(new Comment(action.Version, isInline: true));
    }
}
