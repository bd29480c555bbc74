global using Xunit;
global using Microsoft.Extensions.Logging;
global using Dashboard.Tests.Infrastructure;
