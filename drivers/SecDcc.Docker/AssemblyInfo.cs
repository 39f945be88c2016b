using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("SecDcc.Docker.Tests")]
