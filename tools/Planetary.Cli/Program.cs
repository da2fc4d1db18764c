using System.CommandLine;
using Planetary.Cli.Commands;

var root = new RootCommand("planetary — operate the Planetary Orchestrator Fabric")
{
    SimulateCommand.Create(),
    DrillCommand.Create(),
    StatusCommand.Create(),
    JobsCommand.Create(),
    ChaosCommand.Create(),
    ReportCommand.Create(),
    OwnerCommands.Owner(),
    OwnerCommands.Pause(),
    OwnerCommands.Resume(),
    OwnerCommands.Drain(),
};

return await root.Parse(args).InvokeAsync();
