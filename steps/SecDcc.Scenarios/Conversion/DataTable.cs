using System.Reflection;

namespace SecDcc.Scenarios;

/// <summary>A Gherkin data table: the first row is the header.</summary>
public sealed class DataTable
{
    public DataTable(IReadOnlyList<IReadOnlyList<string>> rows)
    {
        if (rows.Count == 0) throw new ArgumentException("A data table needs at least a header row.", nameof(rows));
        Header = rows[0];
        Rows = rows.Skip(1).Select(r => new DataTableRow(Header, r)).ToList();
        AllRows = rows;
    }

    public IReadOnlyList<string> Header { get; }
    public IReadOnlyList<DataTableRow> Rows { get; }
    public IReadOnlyList<IReadOnlyList<string>> AllRows { get; }

    /// <summary>One T per row; columns map to properties by name, ignoring case, spaces and punctuation.</summary>
    public List<T> CreateSet<T>() => Rows.Select(r => (T)Fill(typeof(T), Header.Zip(r.Cells, KeyValuePair.Create))).ToList();

    /// <summary>
    /// One T from a vertical table (two columns: field, value, header row included as the first pair) or from
    /// the single data row of a horizontal one.
    /// </summary>
    public T CreateInstance<T>()
    {
        if (Header.Count == 2 && !(Rows.Count == 1 && Header.All(h => FindProperty(typeof(T), h) is not null)))
            return (T)Fill(typeof(T), AllRows.Select(r => KeyValuePair.Create(r[0], r[1])));
        if (Rows.Count != 1)
            throw new StepArgumentException(
                $"Cannot make one {typeof(T).Name} from a table with {Rows.Count} data rows: use a two-column field/value table or a single row.");
        return (T)Fill(typeof(T), Header.Zip(Rows[0].Cells, KeyValuePair.Create));
    }

    public override string ToString() =>
        string.Join(Environment.NewLine, AllRows.Select(r => "| " + string.Join(" | ", r) + " |"));

    private static object Fill(Type type, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var instance = Activator.CreateInstance(type)
            ?? throw new StepArgumentException($"{type.Name} needs a public parameterless constructor to be filled from a table.");
        foreach (var (column, value) in fields)
        {
            var property = FindProperty(type, column)
                ?? throw new StepArgumentException(
                    $"Table column '{column}' matches no property of {type.Name}; it has: {string.Join(", ", Writable(type).Select(p => p.Name))}.");
            property.SetValue(instance, ValueConverter.Convert(value, property.PropertyType, $"column '{column}'"));
        }
        return instance;
    }

    private static IEnumerable<PropertyInfo> Writable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite);

    private static PropertyInfo? FindProperty(Type type, string column) =>
        Writable(type).FirstOrDefault(p => ValueConverter.Normalise(p.Name) == ValueConverter.Normalise(column));
}

public sealed class DataTableRow(IReadOnlyList<string> header, IReadOnlyList<string> cells)
{
    public IReadOnlyList<string> Cells { get; } = cells;

    public string this[string column]
    {
        get
        {
            for (var i = 0; i < header.Count; i++)
                if (string.Equals(header[i], column, StringComparison.OrdinalIgnoreCase)) return Cells[i];
            throw new StepArgumentException($"The table has no column '{column}'; its columns are: {string.Join(", ", header)}.");
        }
    }

    public string this[int index] => Cells[index];

    public T Get<T>(string column) => (T)ValueConverter.Convert(this[column], typeof(T), $"column '{column}'")!;
}

/// <summary>A step argument that cannot be turned into what the binding asks for: a fault of the scenario or binding.</summary>
public sealed class StepArgumentException(string message, Exception? inner = null) : Exception(message, inner);
