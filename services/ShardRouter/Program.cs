using Planetary.ShardRouter;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddShardRouter();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
