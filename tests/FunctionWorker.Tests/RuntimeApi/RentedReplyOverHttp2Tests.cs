using FcWorker.Responses;
using FcWorker.RuntimeApi;
using FcWorker.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace FcWorker.Tests.RuntimeApi;

/// <summary>
/// A reply whose output is in a rented array, posted over HTTP/2: the array may go back to the pool only once the
/// connection has taken every byte of it. An answer that comes first (a reply the runtime API refuses unread) leaves the
/// rest of the body in HTTP/2's hands, so the array is left to the garbage collector.
/// </summary>
public sealed class RentedReplyOverHttp2Tests
{
    /// <summary>Past Kestrel's HTTP/2 stream window (768 KiB): the body cannot all be sent while the server reads none of it.</summary>
    private const int LargerThanTheStreamWindow = 2 << 20;

    [Fact]
    public async Task Post_AnsweredBeforeTheBodyWasSent_LeavesTheArrayToTheCollector()
    {
        await using var api = await RuntimeApiAsync(static http =>
        {
            http.Response.StatusCode = StatusCodes.Status410Gone;
            return Task.CompletedTask;
        });
        using var output = LargeOutput();

        var status = await PostAsync(api, output);

        Assert.Equal(StatusCodes.Status410Gone, status);
        Assert.False(output.IsRented);
    }

    [Fact]
    public async Task Post_BodyReadWholeBeforeTheAnswer_KeepsTheArrayForThePool()
    {
        long received = 0;
        await using var api = await RuntimeApiAsync(async http =>
        {
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await http.Request.Body.ReadAsync(buffer)) > 0)
            {
                received += read;
            }

            http.Response.StatusCode = StatusCodes.Status202Accepted;
        });
        using var output = LargeOutput();

        var status = await PostAsync(api, output);

        Assert.Equal(StatusCodes.Status202Accepted, status);
        Assert.Equal(output.Bytes.Length, received);
        Assert.True(output.IsRented);
    }

    private static FunctionOutput LargeOutput() =>
        OutputEncoder.Create(typeof(string), WorkerSerializerOptions.Create(null, null)).Encode(new string('x', LargerThanTheStreamWindow));

    private static async Task<int> PostAsync(WebApplication api, FunctionOutput output)
    {
        using var client = new RuntimeApiClient(new Uri(new Uri(api.Urls.First()), "/2023-12-12/runtime/invocation/"), overHttp2: true);
        using var line = client.OpenLine();
        return await line.PostAsync("r1", RuntimeApiClient.Response, ReplyBody.Of(output), thenPoll: false, CancellationToken.None);
    }

    private static async Task<WebApplication> RuntimeApiAsync(RequestDelegate reply)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listener => listener.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        app.Run(reply);
        await app.StartAsync();
        return app;
    }
}
