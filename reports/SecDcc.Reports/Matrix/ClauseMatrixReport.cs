namespace SecDcc.Reports.Matrix;

/// <summary>Catalogue + allure-results → clause-matrix.json and clause-matrix.html in one directory.</summary>
public static class ClauseMatrixReport
{
    public const string JsonFileName = "clause-matrix.json";
    public const string HtmlFileName = "clause-matrix.html";

    public sealed record Output(ClauseMatrix Matrix, string JsonPath, string HtmlPath);

    public static async Task<Output> GenerateAsync(
        string resultsDirectory, string cataloguePath, string outputDirectory, TimeProvider time, CancellationToken cancellationToken)
    {
        var catalogue = await ClauseCatalogueLoader.LoadAsync(cataloguePath, cancellationToken);
        var runs = await AllureResultsReader.ReadDirectoryAsync(resultsDirectory, cancellationToken);
        var matrix = ClauseMatrix.Build(catalogue, runs);
        var context = new MatrixContext(time.GetUtcNow(), Path.GetFullPath(cataloguePath), Path.GetFullPath(resultsDirectory));

        Directory.CreateDirectory(outputDirectory);
        var json = Path.Combine(outputDirectory, JsonFileName);
        var html = Path.Combine(outputDirectory, HtmlFileName);
        await MatrixJsonWriter.WriteAsync(matrix, json, context, cancellationToken);
        await MatrixHtmlWriter.WriteAsync(matrix, html, context, cancellationToken);
        return new Output(matrix, json, html);
    }
}
