using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Planetary.AppHost.Fleet;
using Planetary.AppHost.Infrastructure;
using Planetary.AppHost.Supervision;

var builder = DistributedApplication.CreateBuilder(args);

// The app host probes RabbitMQ and Redis until they answer; each probe of a server that is still starting is not an
// error (the dashboard shows the resource's health), so ASP.NET Core's per-probe error lines stay out of the log.
builder.Services.AddLogging(logging => logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService", LogLevel.None));

// Infrastructure: RabbitMQ ("eventbus") and Redis ("state"); see Infrastructure:Mode in appsettings.json.
var infrastructure = builder.AddFabricInfrastructure();

// Services from the owner manifest (Fabric:ManifestPath): owner-control, checkpointer, a router per shard and an
// agent per node, each waiting for the event bus and the state store.
builder.AddFabricFleet(infrastructure);

// Supervision: a service whose process dies without a stop request is started again (Supervisor:* settings).
builder.AddProcessSupervisor();

builder.Build().Run();
