namespace SecDcc.Dcc.Tests;
