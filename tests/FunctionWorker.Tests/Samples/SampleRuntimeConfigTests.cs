using System.Text.Json;

namespace FcWorker.Tests.Samples;

public sealed class SampleRuntimeConfigTests
{
    /// <summary>What a string takes besides its UTF-16 characters on 64-bit .NET (header, length, terminator), rounded up.</summary>
    private const int StringOverheadBytes = 32;

    [Fact]
    public void TheSamples_KeepTheBase64StringOfABinaryBodyUpTo256KiBOutOfTheLargeObjectHeap()
    {
        using var runtimeConfig = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Samples.runtimeconfig.json")));

        var threshold = runtimeConfig.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties")
            .GetProperty("System.GC.LOHThreshold").GetInt64();

        Assert.True(threshold > Base64StringBytes(256 * 1024), $"LOHThreshold {threshold} keeps a 256 KiB body's base64 string on the large-object heap.");
    }

    /// <summary>A body of <paramref name="bodyBytes"/> as a base64 string: a 64 KiB body is 87,384 characters, ~175 KB.</summary>
    private static int Base64StringBytes(int bodyBytes) => (bodyBytes + 2) / 3 * 4 * sizeof(char) + StringOverheadBytes;
}
