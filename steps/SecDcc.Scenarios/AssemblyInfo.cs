namespace SecDcc.Scenarios;
