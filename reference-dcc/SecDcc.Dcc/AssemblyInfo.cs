namespace SecDcc.Dcc;
