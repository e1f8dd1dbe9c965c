using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// One <c>$ curl</c> example of README.md's console blocks: the request (path, <c>-d</c> data, <c>-i</c>) and the
/// output shown under it (status line and headers with <c>-i</c>, then the body; <c>...</c> in the body stands for anything).
/// </summary>
public sealed record ReadmeExample(string Command, string PathAndQuery, string? Data, int? Status, IReadOnlyList<(string Name, string Value)> Headers, string Body)
{
    public static IReadOnlyList<ReadmeExample> All { get; } = Parse(File.ReadAllLines(RepositoryRoot.File("README.md")));

    private static List<ReadmeExample> Parse(string[] lines)
    {
        var examples = new List<ReadmeExample>();
        var inConsole = false;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("```", StringComparison.Ordinal))
            {
                inConsole = !inConsole && lines[i] == "```console";
                continue;
            }

            if (!inConsole || !lines[i].StartsWith("$ curl ", StringComparison.Ordinal))
            {
                continue;
            }

            var output = new List<string>();
            for (var j = i + 1; j < lines.Length && !lines[j].StartsWith("$ ", StringComparison.Ordinal) && !lines[j].StartsWith("```", StringComparison.Ordinal); j++)
            {
                output.Add(lines[j]);
            }

            while (output.Count > 0 && output[^1].Length == 0)
            {
                output.RemoveAt(output.Count - 1);
            }

            examples.Add(FromCommand(lines[i], output));
        }

        return examples;
    }

    private static ReadmeExample FromCommand(string line, List<string> output)
    {
        var command = line[2..];
        var comment = command.IndexOf(" #", StringComparison.Ordinal);
        var words = Words(comment < 0 ? command : command[..comment]);
        string? data = null;
        string? url = null;
        var include = false;
        for (var k = 1; k < words.Count; k++)
        {
            switch (words[k])
            {
                case "-i": include = true; break;
                case "-d": data = words[++k]; break;
                default: url = words[k]; break;
            }
        }

        if (url is null || !url.StartsWith("localhost:8080/", StringComparison.Ordinal))
        {
            throw new FormatException($"README example without a localhost:8080 URL: {line}");
        }

        if (!include)
        {
            return new ReadmeExample(line, url["localhost:8080".Length..], data, null, [], string.Join('\n', output));
        }

        var status = int.Parse(output[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var blank = output.IndexOf("");
        var headers = output[1..blank].Select(h => (h[..h.IndexOf(':', StringComparison.Ordinal)], h[(h.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())).ToList();
        return new ReadmeExample(line, url["localhost:8080".Length..], data, status, headers, string.Join('\n', output[(blank + 1)..]));
    }

    /// <summary>Splits a command line into words, keeping single-quoted text together as the shell does.</summary>
    private static List<string> Words(string command)
    {
        var words = new List<string>();
        var word = new System.Text.StringBuilder();
        var quoted = false;
        var any = false;
        foreach (var c in command)
        {
            if (c == '\'')
            {
                quoted = !quoted;
                any = true;
            }
            else if (c == ' ' && !quoted)
            {
                if (any)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    any = false;
                }
            }
            else
            {
                word.Append(c);
                any = true;
            }
        }

        if (any)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
