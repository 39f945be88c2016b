namespace SecDcc.Duis.Tests;
