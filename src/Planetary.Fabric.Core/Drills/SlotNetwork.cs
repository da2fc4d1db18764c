namespace Planetary.Fabric.Drills;

/// <summary>
/// The flow network behind <see cref="DrillCeiling"/>: source → each template (its work in slot-ticks) → each node able
/// to run it (unbounded) → sink (the node's slot-ticks in the time tried). Edmonds–Karp on an adjacency matrix: the
/// network has one vertex per template and per node, so it stays small.
/// </summary>
internal sealed class SlotNetwork
{
    private const int Source = 0;
    private readonly long[] _work;
    private readonly bool[][] _canRun;
    private readonly int _templates;
    private readonly int _nodes;
    private readonly int _sink;
    private long[,] _residual = new long[0, 0];

    public SlotNetwork(long[] work, bool[][] canRun)
    {
        _work = work;
        _canRun = canRun;
        _templates = work.Length;
        _nodes = canRun.Length == 0 ? 0 : canRun[0].Length;
        _sink = _templates + _nodes + 1;
    }

    /// <summary>The most work that fits when node <c>i</c> offers <paramref name="nodeCapacity"/>(i) slot-ticks.</summary>
    public long MaxFlow(Func<int, long> nodeCapacity)
    {
        var vertices = _sink + 1;
        _residual = new long[vertices, vertices];
        var unbounded = _work.Sum();
        for (var t = 0; t < _templates; t++)
        {
            _residual[Source, TemplateVertex(t)] = _work[t];
            for (var n = 0; n < _nodes; n++)
            {
                if (_canRun[t][n])
                {
                    _residual[TemplateVertex(t), NodeVertex(n)] = unbounded;
                }
            }
        }

        for (var n = 0; n < _nodes; n++)
        {
            _residual[NodeVertex(n), _sink] = Math.Max(0, nodeCapacity(n));
        }

        long flow = 0;
        var parent = new int[vertices];
        while (AugmentingPath(parent))
        {
            var bottleneck = long.MaxValue;
            for (var v = _sink; v != Source; v = parent[v])
            {
                bottleneck = Math.Min(bottleneck, _residual[parent[v], v]);
            }

            for (var v = _sink; v != Source; v = parent[v])
            {
                _residual[parent[v], v] -= bottleneck;
                _residual[v, parent[v]] += bottleneck;
            }

            flow += bottleneck;
        }

        return flow;
    }

    /// <summary>After <see cref="MaxFlow"/>: the templates and nodes still reachable from the source, the min cut's side that binds.</summary>
    public (IReadOnlyList<int> Templates, IReadOnlyList<int> Nodes) SourceSideOfCut()
    {
        var parent = new int[_sink + 1];
        AugmentingPath(parent);
        var reached = Enumerable.Range(0, _sink + 1).Where(v => v == Source || parent[v] >= 0).ToHashSet();
        return (
            Enumerable.Range(0, _templates).Where(t => reached.Contains(TemplateVertex(t))).ToArray(),
            Enumerable.Range(0, _nodes).Where(n => reached.Contains(NodeVertex(n))).ToArray());
    }

    /// <summary>Breadth-first search over edges with residual capacity; true when it reaches the sink.</summary>
    private bool AugmentingPath(int[] parent)
    {
        Array.Fill(parent, -1);
        var queue = new Queue<int>();
        queue.Enqueue(Source);
        while (queue.Count > 0)
        {
            var u = queue.Dequeue();
            for (var v = 0; v <= _sink; v++)
            {
                if (v != Source && parent[v] < 0 && _residual[u, v] > 0)
                {
                    parent[v] = u;
                    if (v == _sink)
                    {
                        return true;
                    }

                    queue.Enqueue(v);
                }
            }
        }

        return false;
    }

    private static int TemplateVertex(int template) => 1 + template;

    private int NodeVertex(int node) => 1 + _templates + node;
}
