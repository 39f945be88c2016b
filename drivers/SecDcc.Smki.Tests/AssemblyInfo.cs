namespace SecDcc.Smki.Tests;
