namespace SecDcc.Rigs;
