namespace SecDcc.Scenarios.Tests;
