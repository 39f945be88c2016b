namespace SecDcc.Drivers.Tests;
