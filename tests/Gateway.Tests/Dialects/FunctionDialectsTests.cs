using FcGateway.Configuration;
using FcGateway.Dialects;
using FcGateway.Dialects.ApiGatewayV1;
using FcGateway.Dialects.FcV1;
using FcGateway.Dialects.FunctionUrl;

namespace Gateway.Tests.Dialects;

public sealed class FunctionDialectsTests
{
    [Fact]
    public void For_LambdaFunction_IsTheFunctionUrlDialect()
    {
        var dialects = new FunctionDialects();

        Assert.IsType<FunctionUrlDialect>(dialects.For(new FunctionSettings { RuntimeApi = RuntimeApiProtocol.Lambda }));
    }

    [Fact]
    public void For_LambdaFunctionOfPayloadFormat10_IsTheApiGatewayV1Dialect()
    {
        var dialects = new FunctionDialects();

        Assert.IsType<ApiGatewayV1Dialect>(
            dialects.For(new FunctionSettings { RuntimeApi = RuntimeApiProtocol.Lambda, PayloadFormatVersion = LambdaPayloadFormat.V1 }));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(RuntimeApiProtocol.Fc)]
    public void For_OtherFunction_IsTheFcV1Dialect(RuntimeApiProtocol? runtimeApi)
    {
        var dialects = new FunctionDialects();

        Assert.IsType<FcV1Dialect>(dialects.For(new FunctionSettings { RuntimeApi = runtimeApi }));
    }

    [Fact]
    public void For_SameFunctionTwice_SameInstance()
    {
        var dialects = new FunctionDialects();
        var function = new FunctionSettings { RuntimeApi = RuntimeApiProtocol.Lambda };

        Assert.Same(dialects.For(function), dialects.For(function));
        Assert.Same(dialects.For(FunctionSettings.Default), dialects.For(FunctionSettings.Default));
    }
}
