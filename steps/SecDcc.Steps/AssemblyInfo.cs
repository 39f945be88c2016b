namespace SecDcc.Steps;
