namespace SecDcc.Reports.Matrix;

/// <summary>A problem at one place in a catalogue file: the file, the line and column, and the field.</summary>
public sealed record CatalogueProblem(string File, int Line, int Column, string Field, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Field}: {Message}";
}

/// <summary>The catalogue could not be loaded; <see cref="Problems"/> lists every problem found, not just the first.</summary>
public sealed class CatalogueException(IReadOnlyList<CatalogueProblem> problems)
    : Exception(Describe(problems))
{
    public IReadOnlyList<CatalogueProblem> Problems { get; } = problems;

    private static string Describe(IReadOnlyList<CatalogueProblem> problems) =>
        problems.Count == 1
            ? $"Clause catalogue is invalid: {problems[0]}"
            : $"Clause catalogue is invalid ({problems.Count} problems):{Environment.NewLine}  " +
              string.Join(Environment.NewLine + "  ", problems);
}
