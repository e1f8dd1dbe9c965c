namespace FcGateway.Launch;

/// <summary>One line of a process's output, without its line ending; <see cref="Truncated"/> when the rest was dropped.</summary>
internal readonly record struct OutputLine(string Text, bool Truncated);
