namespace SecDcc.Reports.Allure;

public static class AllureTime
{
    /// <summary>Allure timestamps are milliseconds since the Unix epoch.</summary>
    public static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
