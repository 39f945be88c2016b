using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Service.Duis.Parties;
using SecDcc.Duis.Messages;

namespace SecDcc.Dcc.Service.Duis;

/// <summary>A Service Request that passed every DUIS check: signed by its originator, schema-valid, fresh, eligible and in scope.</summary>
public sealed record AdmittedRequest(DuisRequest Request, DuisParty Party, Actor Actor, ServiceRequestVariant Variant)
{
    public RequestHeader Header => Request.Header;
    public string Srv => Request.Header.ServiceReferenceVariant;
}

/// <summary>What handling an admitted request came to: success (with what to return), or a rejection.</summary>
public sealed record ServiceOutcome(ResponseCode Code, IResponsePayload? Payload = null, DuisRejection? Rejection = null, string? Note = null)
{
    public static ServiceOutcome Success(IResponsePayload? payload = null, string? note = null) => new(ResponseCode.Success, payload, Note: note);

    public static ServiceOutcome Acknowledged(string? note = null) => new(ResponseCode.Acknowledgement, Note: note);

    public static ServiceOutcome Rejected(DuisRejection rejection) => new(rejection.Code, Rejection: rejection);

    public static ServiceOutcome Rejected(Refusal refusal) => Rejected(DuisRejection.From(refusal));

    public static implicit operator ServiceOutcome(DuisRejection rejection) => Rejected(rejection);
}
