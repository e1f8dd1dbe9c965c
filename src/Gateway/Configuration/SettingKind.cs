namespace FcGateway.Configuration;

/// <summary>What a settings key holds; <see cref="SettingsErrors.CheckKeys"/> reports a key holding something else.</summary>
internal enum SettingKind
{
    /// <summary>A string, number or boolean.</summary>
    Value,

    /// <summary>A list of values (<c>["GET", "POST"]</c>, or the keys <c>Methods:0</c>, <c>Methods:1</c>).</summary>
    List,

    /// <summary>An object whose keys are checked where it is read.</summary>
    Section,

    /// <summary>An object of names the user chooses, each holding a value (<c>Environment</c>).</summary>
    ValuesByName,

    /// <summary>An object of names the user chooses, each holding an object (<c>Functions</c>, <c>Triggers</c>).</summary>
    SectionsByName,

    /// <summary>Either JSON text in one value or the same object (<c>Jwks</c>).</summary>
    ValueOrSection,

    /// <summary>A list of objects (YARP's <c>Match:Headers</c>, <c>Transforms</c>).</summary>
    SectionList,
}
