using System.CommandLine;
using Planetary.Cli.Commands;

var root = new RootCommand("planetary — operate the Planetary Orchestrator Fabric")
{
    SimulateCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
