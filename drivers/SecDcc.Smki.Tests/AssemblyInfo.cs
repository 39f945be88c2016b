[assembly: Parallelizable(ParallelScope.Fixtures)]

namespace SecDcc.Smki.Tests;
