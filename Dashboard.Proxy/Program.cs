using Dashboard.Proxy;

return await ProxyProgram.RunAsync(args);
