using System.Text.Json;
using System.Text.Json.Nodes;
using Planetary.Cli;

namespace Planetary.Bench;

/// <summary>What the live benchmarks share: one template each shard can run, the routers' completed count, and owner parameters set for a run.</summary>
public static class BenchFleet
{
    /// <summary>A template each shard of the default manifest runs itself (no job is forwarded for want of a capability).</summary>
    public static readonly (string Shard, string Template)[] ShardTemplates =
        [("earth", "governance-review"), ("luna", "validation-sweep"), ("mars", "logistics-routing"), ("edge", "research-synthesis")];

    /// <summary>Jobs every router has counted completed.</summary>
    public static async Task<long> CompletedAsync(OwnerClient owner) =>
        (await owner.GetAsync("/api/status")).GetProperty("shards").EnumerateArray()
        .Sum(s => s.GetProperty("completed").ValueKind == JsonValueKind.Number ? s.GetProperty("completed").GetInt64() : 0);

    /// <summary>
    /// Sets owner parameters through the API for the length of <paramref name="run"/> (waiting 2 s for every service to
    /// apply them) and puts each one's earlier value back afterwards, whatever happened.
    /// </summary>
    public static Task WithParametersAsync(OwnerClient owner, IReadOnlyList<(string Path, JsonNode Value)> values, Func<Task> run) =>
        WithParametersAsync(owner, values, async () =>
        {
            await run();
            return true;
        });

    /// <inheritdoc cref="WithParametersAsync(OwnerClient, IReadOnlyList{ValueTuple{string, JsonNode}}, Func{Task})"/>
    public static async Task<T> WithParametersAsync<T>(OwnerClient owner, IReadOnlyList<(string Path, JsonNode Value)> values, Func<Task<T>> run)
    {
        var earlier = new List<(string Path, JsonNode? Value)>();
        foreach (var (path, _) in values)
        {
            earlier.Add((path, JsonNode.Parse((await owner.GetAsync($"/api/parameters/{path}")).GetProperty("value").GetRawText())));
        }

        try
        {
            foreach (var (path, value) in values)
            {
                await owner.PutAsync($"/api/parameters/{path}", new JsonObject { ["value"] = value.DeepClone() });
            }

            await Task.Delay(TimeSpan.FromSeconds(2));
            return await run();
        }
        finally
        {
            foreach (var (path, value) in earlier)
            {
                await owner.PutAsync($"/api/parameters/{path}", new JsonObject { ["value"] = value });
            }
        }
    }

    /// <summary>
    /// A connection string the app host gave the fleet's services (<c>eventbus</c>, <c>state</c>), read from a running
    /// router's environment: the servers the fleet really uses, whichever way they run (local processes or containers).
    /// </summary>
    public static string ServiceConnectionString(string name)
    {
        var variable = $"ConnectionStrings__{name}=";
        foreach (var process in Directory.EnumerateDirectories("/proc").Where(d => Path.GetFileName(d).All(char.IsAsciiDigit)))
        {
            try
            {
                if (!File.ReadAllText(Path.Combine(process, "cmdline")).Split('\0')[0].EndsWith("Planetary.ShardRouter", StringComparison.Ordinal))
                {
                    continue;
                }

                var found = File.ReadAllText(Path.Combine(process, "environ")).Split('\0').FirstOrDefault(e => e.StartsWith(variable, StringComparison.Ordinal));
                if (found is not null)
                {
                    return found[variable.Length..];
                }
            }
            catch (IOException)
            {
                // the process ended while being read
            }
            catch (UnauthorizedAccessException)
            {
                // another user's process
            }
        }

        throw new OwnerCallException($"no running Planetary.ShardRouter has {variable.TrimEnd('=')} (is the fleet started?)", 1);
    }
}
