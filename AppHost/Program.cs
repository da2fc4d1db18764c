using Planetary.AppHost.Fleet;
using Planetary.AppHost.Infrastructure;
using Planetary.AppHost.Supervision;

var builder = DistributedApplication.CreateBuilder(args);

// Infrastructure: RabbitMQ ("eventbus") and Redis ("state"); see Infrastructure:Mode in appsettings.json.
var infrastructure = builder.AddFabricInfrastructure();

// Services from the owner manifest (Fabric:ManifestPath): owner-control, checkpointer, a router per shard and an
// agent per node, each waiting for the event bus and the state store.
builder.AddFabricFleet(infrastructure);

// Supervision: a service whose process dies without a stop request is started again (Supervisor:* settings).
builder.AddProcessSupervisor();

builder.Build().Run();
