namespace FcWorker.Samples;

/// <summary>Thrown when a sample cannot listen on its address because another socket holds the port.</summary>
public sealed class SampleAddressInUseException : IOException
{
    /// <summary>Creates the exception for <paramref name="sample"/>.</summary>
    /// <param name="sample">The sample's name.</param>
    /// <param name="address">The address it was to listen on.</param>
    /// <param name="innerException">Kestrel's bind failure.</param>
    public SampleAddressInUseException(string sample, Uri address, Exception innerException)
        : base($"sample {sample} could not listen on {address.Authority}: address already in use.", innerException)
    {
        Sample = sample;
        Address = address;
    }

    /// <summary>The sample's name, e.g. <c>http-echo</c>.</summary>
    public string Sample { get; }

    /// <summary>The address the sample was to listen on.</summary>
    public Uri Address { get; }
}
