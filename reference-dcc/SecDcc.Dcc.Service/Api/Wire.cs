using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Notifications;
using SecDcc.Dcc.Products;

namespace SecDcc.Dcc.Service.Api;

// Transport types: what the JSON API reads and writes. Everything is nullable on the way in so a missing field is
// reported by name rather than by a serializer exception; the mapping below turns them into domain requests.

public sealed record ActorDto(string? Party, string? Role);
public sealed record ModelDto(string? Manufacturer, string? Model, string? HardwareVersion, string? FirmwareVersion);
public sealed record AddDeviceDto(ActorDto? Actor, string? DeviceId, string? DeviceType, ModelDto? Model, string? Generation, string? ResponsibleSupplier);
public sealed record BatchDto(ActorDto? Actor, List<AddDeviceDto>? Devices);
public sealed record AddHubDto(ActorDto? Actor, string? ChfId, string? GpfId, ModelDto? Model, string? Generation, string? LeadSupplier, List<string>? ResponsibleSuppliers);
public sealed record DeliverHubDto(string? ChfId, string? GpfId, ModelDto? Model, string? DeliveredTo);
public sealed record ProductionProvingApprovalDto(string? ChfId, string? GpfId, string? Reference);
public sealed record ProductionProvingHubDto(string? ChfId, string? GpfId, ModelDto? Model);
public sealed record RestoreDeviceLogDto(ActorDto? Actor, string? TargetId, string? FromId, List<string>? Entries);
public sealed record RestoreResponseDto(string? TargetId, string? FromId, bool? SuccessfullyExecuted);
public sealed record LocalCommandResponseDto(ActorDto? Actor, string? Command, string? DeviceId, string? TargetId, bool? SuccessfullyExecuted);
public sealed record ActorOnlyDto(ActorDto? Actor);
public sealed record MpxnDto(ActorDto? Actor, List<string>? Mpxns);
public sealed record UpdateModelDto(ActorDto? Actor, ModelDto? Model);
public sealed record ServiceDeskDto(ActorDto? Actor, Dictionary<string, string>? Information);
public sealed record DeclarationDto(ActorDto? Actor, ModelDto? Model, string? SupplierLegalName, string? SignedBy);
public sealed record PanelDirectionDto(string? DisputeReference);
public sealed record NetworkOperatorDto(bool? Gas, string? Prefix, string? Party);
public sealed record JoinDto(ActorDto? Actor, string? DeviceId, string? TargetId);
public sealed record CommissionDto(ActorDto? Actor, string? MeterId);
public sealed record ChfCommunicationDto(string? ChfId, bool? IntegrityVerified, bool? OriginVerified);
public sealed record HanLogDto(ActorDto? Actor, string? ChfId, string? DeviceId, List<string>? Mpxns);
public sealed record HanAlertDto(string? ChfId, string? DeviceId);
public sealed record JoinResponseDto(string? DeviceId, string? TargetId, bool? SuccessfullyExecuted);
public sealed record CommissionResponseDto(string? MeterId, bool? SuccessfullyExecuted);
public sealed record CombinationDto(string? Requester, List<ModelDto>? Models);
public sealed record PpcResultDto(string? CombinationKey, bool? Passed, string? Explanation);

public sealed record DeviceView(
    string DeviceId, DeviceType DeviceType, DeviceClass DeviceClass, string Generation, SmiStatus? Status, SmiStatus? StatusBeforeSuspension,
    DateTimeOffset? PendingSince, DeviceModel Model, string? ChfId, IReadOnlyList<string> JoinedTo, IReadOnlyList<string> Mpxns,
    IReadOnlyList<string> ResponsibleSuppliers, string? LeadSupplier, DateTimeOffset AddedAt, DateTimeOffset UpdatedAt);

public sealed record NotificationView(long Id, DateTimeOffset CreatedAt, NotificationKind Kind, string Clause, RecipientKind RecipientKind, string? RecipientParty, string? DeviceId, string Message, IReadOnlyDictionary<string, string> Data);

public sealed record CombinationView(string Key, CombinationList List, DateTimeOffset AddedAt, string? Requester, IReadOnlyList<DeviceModel> Models);

public static class Wire
{
    public static DeviceView View(Device d) => new(
        d.Id.ToString(), d.Type, d.Class, d.Generation == SmetsGeneration.SMETS1 ? "SMETS1" : "SMETS2+", d.Status, d.StatusBeforeSuspension, d.PendingSince, d.Model,
        d.ChfId?.ToString(), d.JoinedTo.Select(j => j.ToString()).ToList(), d.Mpxns, d.ResponsibleSuppliers.Select(p => p.ToString()).ToList(),
        d.LeadSupplier?.ToString(), d.AddedAt, d.UpdatedAt);

    public static NotificationView View(Notification n) => new(n.Id, n.CreatedAt, n.Kind, n.Clause, n.Recipient.Kind, n.Recipient.Party?.ToString(), n.DeviceId?.ToString(), n.Message, n.Data);

    public static CombinationView View(ProductCombination c) => new(c.Key, c.List, c.AddedAt, c.Requester?.ToString(), c.Models);

    /// <summary>Collects the first field error while mapping a transport type.</summary>
    public sealed class Reader
    {
        public Refusal? Error { get; private set; }

        private T Fail<T>(string field, string message)
        {
            Error ??= Refusal.InvalidField("JSON", field, message);
            return default!;
        }

        public DeviceId Device(string? text, string field) =>
            DeviceId.TryParse(text, out var id, out var error) ? id : Fail<DeviceId>(field, $"{field}: {error}");

        public PartyId Party(string? text, string field) =>
            PartyId.TryParse(text, out var id, out var error) ? id : Fail<PartyId>(field, $"{field}: {error}");

        public PartyId? OptionalParty(string? text, string field) => text is null ? null : Party(text, field);

        public Actor Actor(ActorDto? dto, string field = "actor")
        {
            if (dto is null)
                return Fail<Actor>(field, $"{field} is missing: give the acting party as {{\"party\": \"<EUI-64>\", \"role\": \"IS|ES|GS|RSA|ED|GT|OU\"}}.");
            var party = Party(dto.Party, field + ".party");
            if (!Enum.TryParse<UserRole>(dto.Role, out var role) || !Enum.IsDefined(role) || int.TryParse(dto.Role, out _))
                return Fail<Actor>(field + ".role", $"{field}.role '{dto.Role}' is not a User Role: use one of {string.Join(", ", Enum.GetNames<UserRole>())}.");
            return new Actor(party, role);
        }

        public DeviceType Type(string? text, string field) =>
            DeviceTypes.TryParse(text, out var t) && !int.TryParse(text, out _) ? t : Fail<DeviceType>(field, $"{field} '{text}' is not a Device Type: use one of {DeviceTypes.Names}.");

        public SmetsGeneration Generation(string? text, string field) => text switch
        {
            "SMETS1" => SmetsGeneration.SMETS1,
            "SMETS2+" or "SMETS2" => SmetsGeneration.SMETS2Plus,
            _ => Fail<SmetsGeneration>(field, $"{field} '{text}' is not a generation: use \"SMETS1\" or \"SMETS2+\"."),
        };

        public DeviceModel Model(ModelDto? dto, string field = "model")
        {
            if (dto is null)
                return Fail<DeviceModel>(field, $"{field} is missing: give manufacturer, model, hardwareVersion and firmwareVersion.");
            string Part(string? v, string name) => string.IsNullOrWhiteSpace(v) ? Fail<string>($"{field}.{name}", $"{field}.{name} is missing.") : v;
            return new DeviceModel(Part(dto.Manufacturer, "manufacturer"), Part(dto.Model, "model"), Part(dto.HardwareVersion, "hardwareVersion"), Part(dto.FirmwareVersion, "firmwareVersion"));
        }

        public bool Bool(bool? value, string field) => value ?? Fail<bool>(field, $"{field} is missing: give true or false.");

        public AddDeviceRequest AddDevice(AddDeviceDto dto, ActorDto? batchActor = null, string prefix = "") => new(
            Actor(dto.Actor ?? batchActor, prefix + "actor"), Device(dto.DeviceId, prefix + "deviceId"), Type(dto.DeviceType, prefix + "deviceType"),
            Model(dto.Model, prefix + "model"), Generation(dto.Generation, prefix + "generation"), OptionalParty(dto.ResponsibleSupplier, prefix + "responsibleSupplier"));
    }
}
