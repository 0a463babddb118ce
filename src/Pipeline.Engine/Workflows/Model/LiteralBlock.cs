using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Pipeline.Engine.Workflows.Model;

/// <summary>Multi-line text written as a YAML literal block (<c>|-</c>), one line per line, as people write
/// <c>path:</c> lists by hand.</summary>
internal sealed record LiteralBlock(string Text)
{
    /// <summary>Lets YamlDotNet's serializer emit <see cref="LiteralBlock"/> values in literal style.</summary>
    internal sealed class Converter : IYamlTypeConverter
    {
        public bool Accepts(Type type) => type == typeof(LiteralBlock);

        public object ReadYaml(IParser parser, Type type, ObjectDeserializer rootDeserializer) =>
            new LiteralBlock(parser.Consume<Scalar>().Value);

        public void WriteYaml(IEmitter emitter, object? value, Type type, ObjectSerializer serializer) =>
            emitter.Emit(new Scalar(null, null, ((LiteralBlock)value!).Text, ScalarStyle.Literal, true, false));
    }
}
