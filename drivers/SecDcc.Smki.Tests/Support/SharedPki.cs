using SecDcc.Drivers.Link;
using SecDcc.Smki.Pki;
using SecDcc.Smki.TrustAnchors;

namespace SecDcc.Smki.Tests.Support;

/// <summary>One test PKI and the parties of the test world, shared by the fixtures that only read them.</summary>
public static class SharedPki
{
    public const string Seed = "secdcc-smki-tests";

    private static readonly Lazy<TestPki> Instance = new(() => TestPki.Create(Seed), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly object Gate = new();

    public static readonly Party Supplier1 = new("Supplier 1", Eui64.Parse("90-B3-D5-1F-30-01-00-00"));
    public static readonly Party Supplier2 = new("Supplier 2", Eui64.Parse("90-B3-D5-1F-30-03-00-00"));
    public static readonly Party NetworkOperator = new("Network Operator 1", Eui64.Parse("90-B3-D5-1F-30-02-00-00"));
    public static readonly Party NetworkOperator2 = new("Network Operator 2", Eui64.Parse("90-B3-D5-1F-30-04-00-00"));

    /// <summary>
    /// Runs <paramref name="use"/> with the shared PKI under a lock: issuing on demand changes its state, and
    /// fixtures run in parallel.
    /// </summary>
    public static T Use<T>(Func<TestPki, T> use)
    {
        lock (Gate)
        {
            return use(Instance.Value);
        }
    }
}
