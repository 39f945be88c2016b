namespace SecDcc.Drivers;
