using MassTransit;
using Planetary.Checkpointer;
using Planetary.Fabric.Hosting;
using Planetary.Fabric.Hosting.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddFabricState(builder.Configuration);
builder.Services.AddSingleton<CheckpointWorker>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<CheckpointWorker>());
builder.Services.AddFabricBus(
    builder.Configuration,
    bus => bus.AddConsumer<CheckpointerConsumer>(),
    (context, rabbit) => rabbit.ReceiveEndpoint(Queues.Checkpointer, endpoint =>
    {
        endpoint.UseFabricQueueDefaults(builder.Configuration, Queues.Checkpointer);
        endpoint.ConfigureConsumer<CheckpointerConsumer>(context);
    }));

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
