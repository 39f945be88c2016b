namespace SecDcc.Steps.Support;

/// <summary>Regular-expression pieces the step patterns share, so every binding names Devices, Parties and statuses the same way.</summary>
public static class P
{
    /// <summary>A Device of the scenario, by kind, optionally "other …" for a second one.</summary>
    public const string Device = "((?:other )?(?:Electricity Smart Meter|Gas Smart Meter|Communications Hub Function|Gas Proxy Function|PPMID|HCALCS|IHD|CAD))";

    public const string Party = "(the Responsible Supplier|the Lead Supplier|another Supplier|the Gas Supplier|an Other User|the Electricity Distributor|the Gas Transporter|a Registered Supplier Agent)";

    /// <summary>An SMI Status in quotes, read into <see cref="SmiStatus"/> ("installed not commissioned").</summary>
    public const string Status = "'([a-z ]+)'";

    /// <summary>"SMETS1 ", "SMETS2+ " or nothing (SMETS2+); always a successful group, so argument positions never shift.</summary>
    public const string Generation = "(SMETS1 |SMETS2\\+ |)";

    public const string Article = "(?:a|an)";

    public static Generation ParseGeneration(string text) =>
        text.Trim() == "SMETS1" ? Support.Generation.Smets1 : Support.Generation.Smets2Plus;
}
