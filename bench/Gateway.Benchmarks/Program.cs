using BenchmarkDotNet.Running;
using FcGateway.Benchmarks;

// dotnet run -c Release --project bench/Gateway.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(ShortInProcessConfig).Assembly).Run(args, ShortInProcessConfig.Create());
