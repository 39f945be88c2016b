namespace SecDcc.Reports.Tests;
