using FcWorker.Hosting;
using FcWorker.Tests.Samples;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;

namespace FcWorker.Tests.Hosting;

/// <summary>The pull or push decision and the environment name, read from process environment variables before any host exists.</summary>
[Collection(nameof(ProcessEnvironment))]
public sealed class PullHostEnvironmentTests
{
    [Fact]
    public async Task Create_RuntimeApiInEnvironment_PullsInTheEnvironmentTheSlimBuilderWouldName()
    {
        using var variables = new Variables(("FC_RUNTIME_API", "127.0.0.1:1"), ("ASPNETCORE_ENVIRONMENT", "Other"), ("DOTNET_ENVIRONMENT", "Staging"));

        await using var host = FunctionWorker.Create([], () => "");

        Assert.IsType<NoListenerServer>(host.Application.Services.GetRequiredService<IServer>());
        Assert.Equal("Staging", host.Application.Environment.EnvironmentName);
    }

    [Fact]
    public async Task Create_RuntimeApiInEnvironmentEmptiedOnCommandLine_Listens()
    {
        using var variables = new Variables(("FC_RUNTIME_API", "127.0.0.1:1"));

        await using var host = FunctionWorker.Create(["--urls", "http://127.0.0.1:0", "--FC_RUNTIME_API="], () => "");
        await host.StartAsync();

        Assert.Equal("127.0.0.1", host.Url.Host);
    }

    /// <summary>Sets process environment variables until disposed, then puts back what they were.</summary>
    private sealed class Variables : IDisposable
    {
        private readonly (string Name, string? Before)[] _before;

        public Variables(params (string Name, string Value)[] variables)
        {
            _before = [.. variables.Select(variable => (variable.Name, Environment.GetEnvironmentVariable(variable.Name)))];
            foreach (var (name, value) in variables)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }

        public void Dispose()
        {
            foreach (var (name, before) in _before)
            {
                Environment.SetEnvironmentVariable(name, before);
            }
        }
    }
}
