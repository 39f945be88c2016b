namespace SecDcc.Docker.Tests;
