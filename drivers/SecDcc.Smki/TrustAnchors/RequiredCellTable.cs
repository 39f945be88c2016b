using YamlDotNet.RepresentationModel;

namespace SecDcc.Smki.TrustAnchors;

/// <summary>
/// Which Trust Anchor Cells each device type must have populated (AC 3.1 leaves this to the GB Companion
/// Specification), with per-Device-Model overrides. Loaded from rigs/trust-anchors/cells.yaml:
/// <code>
/// deviceTypes:
///   ESME:
///     cells: [root/keyCertSign, recovery/digitalSignature, supplier/digitalSignature, ...]
/// deviceModels:
///   - manufacturer: SecDcc Emulation
///     model: EMU-ESME1-Q
///     deviceType: ESME          # optional: only for this type of a multi-function model
///     cells: [...]              # replaces the type's list; or add: [...] and remove: [...]
/// </code>
/// </summary>
public sealed class RequiredCellTable
{
    private readonly Dictionary<string, IReadOnlyList<TrustAnchorCellId>> _byType;
    private readonly IReadOnlyList<ModelOverride> _models;

    public RequiredCellTable(IReadOnlyDictionary<string, IReadOnlyList<TrustAnchorCellId>> byDeviceType, IReadOnlyList<ModelOverride>? models = null, string source = "(in memory)")
    {
        _byType = new Dictionary<string, IReadOnlyList<TrustAnchorCellId>>(byDeviceType, StringComparer.Ordinal);
        _models = models ?? [];
        Source = source;
    }

    /// <summary>Where the table came from, for findings: a file path.</summary>
    public string Source { get; }

    public IReadOnlyCollection<string> DeviceTypes => _byType.Keys;

    /// <summary>
    /// The cells required of a device of this type and Device Model ("manufacturer/model"), or null when the
    /// table has no row for the type and no replacing override for the model.
    /// </summary>
    public IReadOnlyList<TrustAnchorCellId>? CellsFor(string deviceType, string? deviceModel)
    {
        var cells = _byType.TryGetValue(deviceType, out var forType) ? forType.ToList() : null;
        foreach (var model in _models.Where(m => m.Applies(deviceType, deviceModel)))
        {
            if (model.Replace is { } replace)
            {
                cells = replace.ToList();
            }

            if (cells is null)
            {
                continue;
            }

            cells.RemoveAll(model.Remove.Contains);
            cells.AddRange(model.Add.Where(c => !cells.Contains(c)));
        }

        return cells;
    }

    /// <exception cref="TrustAnchorDataException">The file is missing or wrong; every problem is listed with its line.</exception>
    public static RequiredCellTable Load(string path)
    {
        var (data, root) = YamlData.Open(path);
        var byType = new Dictionary<string, IReadOnlyList<TrustAnchorCellId>>(StringComparer.Ordinal);
        var models = new List<ModelOverride>();
        if (root is not null)
        {
            switch (data.Child(root, "deviceTypes"))
            {
                case YamlMappingNode types:
                    foreach (var (key, value) in types.Children)
                    {
                        var type = ((YamlScalarNode)key).Value ?? string.Empty;
                        if (value is YamlMappingNode row)
                        {
                            byType[type] = data.Cells(row, "cells", required: true);
                        }
                        else
                        {
                            data.Problem(value, $"device type {type}: expected 'cells: [...]'");
                        }
                    }

                    break;
                case null:
                    data.Problem(root, "'deviceTypes' is missing: a mapping from device type (ESME, GSME, CHF, GPF, …) to its required cells");
                    break;
                case var other:
                    data.Problem(other, "'deviceTypes' must map each device type to 'cells: [...]'");
                    break;
            }

            foreach (var row in data.Sequence<YamlMappingNode>(root, "deviceModels", required: false, "a Device Model override with manufacturer, model and cells (or add/remove)"))
            {
                var manufacturer = data.Scalar(row, "manufacturer", true, "the manufacturer's name as on the CPL");
                var model = data.Scalar(row, "model", true, "the model name as on the CPL");
                var type = data.Scalar(row, "deviceType", false, "a device type, when the override is for one function of the model");
                IReadOnlyList<TrustAnchorCellId>? replace = data.Child(row, "cells") is null ? null : data.Cells(row, "cells", required: false);
                var add = data.Cells(row, "add", required: false);
                var remove = data.Cells(row, "remove", required: false);
                if (replace is null && add.Count == 0 && remove.Count == 0)
                {
                    data.Problem(row, "a Device Model override needs 'cells' (replace the list), 'add' or 'remove'");
                }

                if (manufacturer is not null && model is not null)
                {
                    models.Add(new ModelOverride($"{manufacturer}/{model}", type, replace, add, remove));
                }
            }
        }

        data.ThrowIfAny();
        return new RequiredCellTable(byType, models, path);
    }

    /// <summary>A Device Model's change to its type's required cells.</summary>
    /// <param name="DeviceModel">"manufacturer/model".</param>
    public sealed record ModelOverride(string DeviceModel, string? DeviceType, IReadOnlyList<TrustAnchorCellId>? Replace, IReadOnlyList<TrustAnchorCellId> Add, IReadOnlyList<TrustAnchorCellId> Remove)
    {
        internal bool Applies(string deviceType, string? deviceModel) =>
            string.Equals(DeviceModel, deviceModel, StringComparison.Ordinal)
            && (DeviceType is null || string.Equals(DeviceType, deviceType, StringComparison.Ordinal));
    }
}
