using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Planetary.ClusterTests.Fleet;

/// <summary>
/// The fleet in the app host's containers mode (Docker or Podman; on these machines Podman with the images
/// <c>scripts/containers.sh</c> built), with volumes of its own that are removed afterwards.
/// </summary>
public sealed class ContainerFleet(IMessageSink diagnostics) : TestFleet(diagnostics)
{
    protected override IEnumerable<string> InfrastructureArguments() =>
    [
        "--Infrastructure:Mode=containers",
        $"--Infrastructure:Containers:VolumePrefix=planetary-test-{Guid.NewGuid():N}",
    ];

    /// <summary>The container runtime CLI the app host uses.</summary>
    public string Runtime =>
        App.Services.GetRequiredService<IConfiguration>()["ASPIRE_CONTAINER_RUNTIME"] is { Length: > 0 } runtime ? runtime : "docker";

    /// <summary>Sends SIGKILL to the container's main process (<c>{runtime} kill --signal KILL</c>).</summary>
    public async Task KillContainerAsync(string resource)
    {
        var id = Property(resource, "container.id") ?? throw new InvalidOperationException($"{resource} has no container");
        using var kill = Process.Start(new ProcessStartInfo(Runtime, ["kill", "--signal", "KILL", id])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var error = await kill.StandardError.ReadToEndAsync();
        await kill.WaitForExitAsync();
        Assert.True(kill.ExitCode == 0, $"{Runtime} kill --signal KILL {id}: {error}");
    }
}

[CollectionDefinition(Name)]
public sealed class ContainerFleetCollection : ICollectionFixture<ContainerFleet>
{
    public const string Name = "containers fleet";
}
