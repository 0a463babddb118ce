namespace Pipeline.Engine;

/// <summary>One place parameter values come from. Sources are asked in precedence order; the first answer wins.</summary>
internal interface IParameterSource
{
    RawValue? Find(ParameterDefinition parameter);
}
