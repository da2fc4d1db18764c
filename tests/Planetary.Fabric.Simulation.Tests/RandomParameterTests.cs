using System.Globalization;
using Planetary.Fabric.Drills;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Parameters;

namespace Planetary.Fabric.Simulation.Tests;

/// <summary>
/// Every value combination the owner API accepts keeps every service running: random valid parameter sets are set
/// mid-drill through the owner's path (validated one change at a time, as the API does), held while work flows, and
/// set back; the real router, agent and checkpointer shells run under them with the invariants checked every tick.
/// No process may stop itself, and every job ends exactly once.
/// </summary>
public sealed class RandomParameterTests
{
    private static readonly FabricManifest Genesis = ManifestLoader.LoadDefault();

    /// <summary>Parameters counted in ticks are drawn up to this, so that one run ends in well under a second.</summary>
    private const double MostTicks = 2_000;

    public static TheoryData<int> Seeds()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("PLANETARY_PARAMETER_SETS"), out var n) ? n : 30;
        var data = new TheoryData<int>();
        for (var seed = 1; seed <= count; seed++)
        {
            data.Add(seed);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_random_valid_parameter_set_keeps_every_service_running_and_every_job_ends_once(int seed)
    {
        var random = new Random(seed);
        var wanted = DrawValidSet(random);
        var options = SimulationOptions.AcceptanceDrill(Genesis, 60, (ulong)seed);
        var changes = Sequence(Genesis, wanted, atTick: 30, "property")
            .Concat(Sequence(Apply(Genesis, wanted), ParameterCatalog.Flatten(Genesis).Where(p => wanted.ContainsKey(p.Key)).ToDictionary(), atTick: 150, "restore"))
            .ToArray();

        var result = new Simulation(options with
        {
            Plan = options.Plan with { RouterCrashes = [], OwnerChanges = changes },
            ReplayCheckEveryTicks = 1,
        }).Run();

        var described = string.Join(", ", wanted.Select(p => $"{p.Key}={p.Value}"));
        Assert.True(result.ProcessStops.Count == 0, $"with {described}: {string.Join("; ", result.ProcessStops)}");
        var s = result.Summary;
        Assert.True(s.JobsLost == 0 && s.JobsUnfinished == 0, $"with {described}: lost {s.JobsLost}, unfinished {s.JobsUnfinished}");
        Assert.Equal(s.JobsSubmitted, s.JobsCompleted + s.JobsFailed + s.JobsCancelled);
        Assert.True(result.InvariantChecks >= s.DurationTicks);
        Assert.DoesNotContain(s.Faults, f => f.Contains("owner change", StringComparison.Ordinal) && f.Contains("refused", StringComparison.Ordinal));
    }

    [Fact]
    public void The_draws_cover_every_numeric_and_boolean_parameter()
    {
        var drawn = Enumerable.Range(1, 30).SelectMany(seed => DrawValidSet(new Random(seed)).Keys)
            .Select(path => ParameterCatalog.TryResolve(Genesis, path, out var d, out _, out _) ? d!.PathTemplate : path)
            .ToHashSet(StringComparer.Ordinal);
        var drawable = ParameterCatalog.All.Where(d => d.Kind is ParameterKind.Integer or ParameterKind.Number or ParameterKind.Boolean).Select(d => d.PathTemplate);
        Assert.All(drawable, path => Assert.Contains(path, drawn));
    }

    /// <summary>Several random values (numbers, integers and switches, across every scope) that make a valid manifest together.</summary>
    private static Dictionary<string, string> DrawValidSet(Random random)
    {
        var declarations = ParameterCatalog.All
            .Where(d => d.Kind is ParameterKind.Integer or ParameterKind.Number or ParameterKind.Boolean)
            .ToArray();
        for (var attempt = 0; ; attempt++)
        {
            var set = new Dictionary<string, string>(StringComparer.Ordinal);
            var count = 3 + random.Next(6);
            while (set.Count < count)
            {
                var declaration = declarations[random.Next(declarations.Length)]; // each parameter as likely, whatever its scope
                var keys = declaration.KeysIn(Genesis).ToArray();
                set[declaration.PathFor(keys[random.Next(keys.Length)])] = Draw(declaration, random);
            }

            if (ParameterCatalog.TryApplyAll(Genesis, set, out _, out _))
            {
                return set;
            }

            Assert.True(attempt < 10_000, "no valid parameter set drawn in 10,000 tries");
        }
    }

    private static string Draw(ParameterDeclaration declaration, Random random)
    {
        if (declaration.Kind == ParameterKind.Boolean)
        {
            return random.Next(2) == 0 ? "false" : "true";
        }

        var max = declaration.Name.EndsWith("Ticks", StringComparison.Ordinal) ? Math.Min(declaration.Max, MostTicks) : declaration.Max;
        // Log-uniform over the range (shifted so 0 can be drawn), with the bounds themselves drawn often.
        var value = random.Next(5) switch
        {
            0 => declaration.Min,
            1 => max,
            _ => declaration.Min - 1 + Math.Exp(random.NextDouble() * Math.Log(max - declaration.Min + 1)),
        };
        return declaration.Kind == ParameterKind.Integer
            ? ((long)Math.Round(value)).ToString(CultureInfo.InvariantCulture)
            : Math.Round(value, 3).ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The owner's changes from <paramref name="from"/> to <paramref name="values"/>, one path at a time, in an order in
    /// which every step leaves a valid manifest (so the owner API would take each one).
    /// </summary>
    private static IEnumerable<OwnerChange> Sequence(FabricManifest from, IReadOnlyDictionary<string, string> values, long atTick, string actor)
    {
        var left = values.ToDictionary(StringComparer.Ordinal);
        var current = from;
        while (left.Count > 0)
        {
            var next = left.FirstOrDefault(p => ManifestValidator.Validate(Apply(current, new Dictionary<string, string> { [p.Key] = p.Value })).Count == 0);
            Assert.True(next.Key is not null, $"no valid order for {string.Join(", ", left.Select(p => $"{p.Key}={p.Value}"))}");
            current = Apply(current, new Dictionary<string, string> { [next.Key] = next.Value });
            left.Remove(next.Key);
            yield return new OwnerChange(atTick, next.Key, next.Value, actor);
        }
    }

    private static FabricManifest Apply(FabricManifest manifest, IReadOnlyDictionary<string, string> values) => ParameterCatalog.ApplyAll(manifest, values);
}
