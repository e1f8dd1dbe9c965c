namespace Gateway.Tests.Infrastructure;

/// <summary>
/// The xunit collection of tests that redirect the process's <see cref="Console.Out"/>: they run alone, after the
/// parallel ones, so nothing else writes to it or captures the redirected writer meanwhile.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessConsole
{
    public const string Name = "ProcessConsole";
}
