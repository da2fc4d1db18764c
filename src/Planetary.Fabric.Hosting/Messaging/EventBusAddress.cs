using System.Globalization;

namespace Planetary.Fabric.Hosting.Messaging;

/// <summary>
/// The <c>eventbus</c> connection string: an AMQP URI, with the nodes of a RabbitMQ cluster as a <c>nodes</c> query
/// parameter (<c>amqp://user:pass@host:5672/?nodes=host1:5672,host2:5672,host3:5672</c>).
/// </summary>
public static class EventBusAddress
{
    public const string NodesParameter = "nodes";

    /// <summary>The <c>host:port</c> of every node (just the URI's own when it lists none).</summary>
    public static IReadOnlyList<string> Nodes(string connectionString)
    {
        var uri = new Uri(connectionString);
        var nodes = uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .FirstOrDefault(pair => pair.Length == 2 && pair[0] == NodesParameter);
        return nodes is null
            ? [$"{uri.Host}:{(uri.IsDefaultPort ? 5672 : uri.Port).ToString(CultureInfo.InvariantCulture)}"]
            : Uri.UnescapeDataString(nodes[1]).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    public static (string User, string Password) Credentials(Uri uri)
    {
        var parts = Uri.UnescapeDataString(uri.UserInfo).Split(':', 2);
        return parts.Length == 2 && parts[0].Length > 0 ? (parts[0], parts[1]) : ("guest", "guest");
    }

    public static string VirtualHost(Uri uri)
    {
        var path = uri.AbsolutePath.Trim('/');
        return path.Length == 0 ? "/" : Uri.UnescapeDataString(path);
    }
}
