namespace SecDcc.Duis;
