using Planetary.AppHost.Infrastructure;

var builder = DistributedApplication.CreateBuilder(args);

// Infrastructure: RabbitMQ ("eventbus") and Redis ("state"); see Infrastructure:Mode in appsettings.json.
var infrastructure = builder.AddFabricInfrastructure();

// Services come next: each one .WithReference(infrastructure.EventBus).WaitFor(infrastructure.EventBus), etc.
_ = infrastructure;

builder.Build().Run();
