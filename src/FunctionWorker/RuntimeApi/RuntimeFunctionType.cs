namespace FcWorker.RuntimeApi;

/// <summary>What a pulled call asks for: <c>x-fc-function-type</c> as the wire contract numbers it; absent or unknown means a handler invocation.</summary>
internal enum RuntimeFunctionType
{
    Handler = 0,
    Initializer = 1,
    PreStop = 2,
    PreFreeze = 3,
}
