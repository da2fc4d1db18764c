using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Planetary.IntegrationTests.Fleet;

/// <summary>One span as exported by a service.</summary>
public sealed record ReceivedSpan(string Service, string TraceId, string SpanId, string ParentSpanId, string Name, IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// A minimal OTLP/HTTP (protobuf) receiver on loopback: the services of the test fleet export their traces here, so a
/// test can prove that one job's trace carries spans from several services. Metrics and logs are accepted and dropped.
/// </summary>
public sealed class OtlpTraceReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public OtlpTraceReceiver()
    {
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    public ConcurrentQueue<ReceivedSpan> Spans { get; } = new();

    /// <summary>The spans about each job (attribute <c>planetary.job.id</c>), so a test need not scan every span received.</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<ReceivedSpan>> ByJob { get; } = new(StringComparer.Ordinal);

    /// <summary>The spans of each trace.</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<ReceivedSpan>> ByTrace { get; } = new(StringComparer.Ordinal);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception)
        {
            // stopping
        }

        _listener.Close();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var context = await _listener.GetContextAsync();
            _ = Task.Run(() => ReceiveAsync(context)); // twelve services export logs, metrics and traces: never make one wait for another
        }
    }

    private async Task ReceiveAsync(HttpListenerContext context)
    {
        try
        {
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            if (context.Request.Url?.AbsolutePath == "/v1/traces")
            {
                foreach (var span in Parse(body.ToArray()))
                {
                    Spans.Enqueue(span);
                    ByTrace.GetOrAdd(span.TraceId, _ => new ConcurrentQueue<ReceivedSpan>()).Enqueue(span);
                    if (span.Attributes.TryGetValue("planetary.job.id", out var job))
                    {
                        ByJob.GetOrAdd(job, _ => new ConcurrentQueue<ReceivedSpan>()).Enqueue(span);
                    }
                }
            }

            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
            // stopping
        }
        catch (HttpListenerException)
        {
            // the exporter gave up on this request
        }
    }

    /// <summary>ExportTraceServiceRequest: resource_spans(1) → resource(1).attributes(1), scope_spans(2) → spans(2).</summary>
    private static List<ReceivedSpan> Parse(byte[] request)
    {
        var spans = new List<ReceivedSpan>();
        var reader = new ProtobufReader(request);
        while (reader.TryReadField(out var field, out var wire))
        {
            if (field == 1 && wire == 2)
            {
                ParseResourceSpans(reader.ReadBytes(), spans);
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return spans;
    }

    private static void ParseResourceSpans(ReadOnlySpan<byte> data, List<ReceivedSpan> into)
    {
        var service = "?";
        var scopes = new List<byte[]>();
        var reader = new ProtobufReader(data);
        while (reader.TryReadField(out var field, out var wire))
        {
            if (field == 1 && wire == 2)
            {
                var attributes = ParseAttributes(reader.ReadBytes(), attributeField: 1);
                service = attributes.GetValueOrDefault("service.name", "?");
            }
            else if (field == 2 && wire == 2)
            {
                scopes.Add(reader.ReadBytes().ToArray());
            }
            else
            {
                reader.Skip(wire);
            }
        }

        foreach (var scope in scopes)
        {
            var scopeReader = new ProtobufReader(scope);
            while (scopeReader.TryReadField(out var field, out var wire))
            {
                if (field == 2 && wire == 2)
                {
                    into.Add(ParseSpan(service, scopeReader.ReadBytes()));
                }
                else
                {
                    scopeReader.Skip(wire);
                }
            }
        }
    }

    /// <summary>Span: trace_id(1), span_id(2), parent_span_id(4), name(5), attributes(9).</summary>
    private static ReceivedSpan ParseSpan(string service, ReadOnlySpan<byte> data)
    {
        string traceId = "", spanId = "", parent = "", name = "";
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new ProtobufReader(data);
        while (reader.TryReadField(out var field, out var wire))
        {
            switch (field)
            {
                case 1 when wire == 2:
                    traceId = Convert.ToHexStringLower(reader.ReadBytes());
                    break;
                case 2 when wire == 2:
                    spanId = Convert.ToHexStringLower(reader.ReadBytes());
                    break;
                case 4 when wire == 2:
                    parent = Convert.ToHexStringLower(reader.ReadBytes());
                    break;
                case 5 when wire == 2:
                    name = reader.ReadString();
                    break;
                case 9 when wire == 2:
                    foreach (var (key, value) in ParseKeyValue(reader.ReadBytes()))
                    {
                        attributes[key] = value;
                    }

                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return new ReceivedSpan(service, traceId, spanId, parent, name, attributes);
    }

    private static Dictionary<string, string> ParseAttributes(ReadOnlySpan<byte> data, int attributeField)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new ProtobufReader(data);
        while (reader.TryReadField(out var field, out var wire))
        {
            if (field == attributeField && wire == 2)
            {
                foreach (var (key, value) in ParseKeyValue(reader.ReadBytes()))
                {
                    attributes[key] = value;
                }
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return attributes;
    }

    /// <summary>KeyValue: key(1), value(2) = AnyValue { string_value(1) | bool(2) | int(3) | double(4) }.</summary>
    private static IEnumerable<(string Key, string Value)> ParseKeyValue(ReadOnlySpan<byte> data)
    {
        string key = "", value = "";
        var reader = new ProtobufReader(data);
        while (reader.TryReadField(out var field, out var wire))
        {
            if (field == 1 && wire == 2)
            {
                key = reader.ReadString();
            }
            else if (field == 2 && wire == 2)
            {
                var any = new ProtobufReader(reader.ReadBytes());
                while (any.TryReadField(out var f, out var w))
                {
                    if (f == 1 && w == 2)
                    {
                        value = any.ReadString();
                    }
                    else if (f == 3 && w == 0)
                    {
                        value = ((long)any.ReadVarint()).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    }
                    else
                    {
                        any.Skip(w);
                    }
                }
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return [(key, value)];
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
