using SecDcc.Dcc.Service.Hosting;

var app = await DccServiceHost.BuildAsync(args);
if (app is null)
    return 2;
await app.RunAsync();
return 0;
