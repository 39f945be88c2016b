namespace SecDcc.Rigs.Loading;

/// <summary>One problem in a rig or Device Model file, located as an editor wants it.</summary>
/// <param name="Field">The field's path in the file, e.g. "devices[2].port".</param>
public sealed record RigFileError(string File, int Line, int Column, string Field, string Message)
{
    /// <summary>"rigs/bench.yaml:12:5: devices[2].port: /dev/ttyUSB9 does not exist — check the cable or the path".</summary>
    public override string ToString() => $"{File}:{Line}:{Column}: {Field}: {Message}";
}

/// <summary>A rig or Device Model file is not valid; <see cref="Errors"/> lists every problem found, in file order.</summary>
public sealed class RigFileException : Exception
{
    public RigFileException(IReadOnlyList<RigFileError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<RigFileError> Errors { get; }

    private static string Describe(IReadOnlyList<RigFileError> errors) =>
        errors.Count == 1
            ? errors[0].ToString()
            : $"{errors.Count} problems:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}";
}
