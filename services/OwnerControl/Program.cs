using Planetary.OwnerControl;
using Planetary.OwnerControl.Apis;
using Planetary.OwnerControl.Drills;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddOwnerControl();
builder.AddDrills();

var app = builder.Build();
app.UseOwnerConsole();
app.UseOwnerControl();
app.MapDefaultEndpoints();
app.MapOpenApi();
app.MapParametersApi();
app.MapFabricControlApi();
app.MapNodesApi();
app.MapJobsApi();
app.MapJobQueriesApi();
app.MapStatusApi();
app.MapHistoryApi();
app.MapTopologyApi();
app.MapFaultsApi();
app.MapDrillsApi();
app.MapDrillReportApi();
app.MapConsoleApi();
app.Run();

/// <summary>Visible to the API tests (WebApplicationFactory).</summary>
public partial class Program;
