namespace Planetary.Testing.Processes;

/// <summary>The last lines a process wrote, kept for error messages; bounded.</summary>
internal sealed class OutputTail(int capacityLines)
{
    private readonly Queue<string> _lines = new(capacityLines);
    private readonly Lock _gate = new();

    public void Add(string line)
    {
        lock (_gate)
        {
            if (_lines.Count == capacityLines)
            {
                _lines.Dequeue();
            }

            _lines.Enqueue(line);
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return string.Join(Environment.NewLine, _lines);
        }
    }
}
