namespace SecDcc.Smki;

/// <summary>GBCS CellUsage: a Trust Anchor Cell serves management (the default) or prepayment top-up.</summary>
public enum CellUsage
{
    Management = 0,
    PrePaymentTopUp = 1,
}
