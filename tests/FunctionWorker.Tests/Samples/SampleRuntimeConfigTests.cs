using System.Text.Json;

namespace FcWorker.Tests.Samples;

public sealed class SampleRuntimeConfigTests
{
    /// <summary>A 64 KiB body arrives as 87,384 base64 characters: a string of 174,768 bytes of UTF-16.</summary>
    private const int Base64StringBytesOf64KiB = (65536 + 2) / 3 * 4 * sizeof(char);

    [Fact]
    public void TheSamples_KeepTheBase64StringOfABinaryBodyUpTo256KiBOutOfTheLargeObjectHeap()
    {
        using var runtimeConfig = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Samples.runtimeconfig.json")));

        var threshold = runtimeConfig.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties")
            .GetProperty("System.GC.LOHThreshold").GetInt64();

        Assert.True(threshold > 4 * Base64StringBytesOf64KiB, $"LOHThreshold {threshold} keeps a 256 KiB body's base64 string on the large-object heap.");
    }
}
