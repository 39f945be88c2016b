namespace SecDcc.Rigs.Tests;
