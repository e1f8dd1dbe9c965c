namespace FcGateway.Configuration;

internal static partial class ListenerCollisions
{
    /// <summary><see cref="Second"/> listens on a port and address <see cref="First"/>, listed before it, listens on.</summary>
    private sealed record Collision(Listener First, Listener Second)
    {
        public string Message =>
            $"{Second.Key}: '{Second.Url}' is port {Second.Port} of an address {First.Key} listens on too ('{First.Url}'); "
            + "the gateway cannot listen there twice: give one of them another port.";

        /// <summary>
        /// The same two keys on the same port, in either order, whenever each bound: one mistake (an endpoint an edit adds on
        /// the runtime API's port collides with it bound now and at the next start alike), mended by one change.
        /// </summary>
        public bool IsTheSameMistakeAs(Collision other) =>
            Second.Port == other.Second.Port
            && ((First.Setting == other.First.Setting && Second.Setting == other.Second.Setting)
                || (First.Setting == other.Second.Setting && Second.Setting == other.First.Setting));
    }
}
