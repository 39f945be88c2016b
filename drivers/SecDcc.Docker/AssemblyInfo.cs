namespace SecDcc.Docker;
