namespace SecDcc.Smki;
