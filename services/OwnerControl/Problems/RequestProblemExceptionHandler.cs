using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using StackExchange.Redis;

namespace Planetary.OwnerControl.Problems;

/// <summary>
/// Turns the failures ASP.NET Core raises before a handler runs (JSON that does not parse or does not fit, a wrong
/// media type, an oversized body, a bad header) and an unreachable Redis or RabbitMQ into problem responses that say
/// what was wrong. Anything else falls through to the default 500 problem.
/// </summary>
public sealed partial class RequestProblemExceptionHandler(IProblemDetailsService problems, ILogger<RequestProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // The middleware has cleared the endpoint by now; its feature keeps the one that failed.
        var endpoint = httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? httpContext.GetEndpoint();
        var problem = Describe(exception, endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType);
        if (problem is null)
        {
            return false;
        }

        if (problem.Status >= 500)
        {
            LogInfrastructureFailure(httpContext.Request.Method, httpContext.Request.Path, exception.Message);
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    internal static ProblemDetails? Describe(Exception exception, Type? bodyType) => exception switch
    {
        Security.InvalidOwnerActorException e =>
            Problem(StatusCodes.Status400BadRequest, ProblemTypes.InvalidActor, "Invalid actor", e.Message),
        Parameters.FabricStateMismatchException e =>
            Problem(StatusCodes.Status503ServiceUnavailable, ProblemTypes.StateMismatch, "Redis holds another fabric's state", e.Message),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } e =>
            Problem(StatusCodes.Status413PayloadTooLarge, ProblemTypes.BodyTooLarge, "Request body too large", e.Message),
        BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } e =>
            Problem(StatusCodes.Status415UnsupportedMediaType, ProblemTypes.UnsupportedMediaType, "Unsupported media type",
                $"{e.Message} Send the body as application/json."),
        BadHttpRequestException { InnerException: JsonException json } =>
            Problem(StatusCodes.Status400BadRequest, ProblemTypes.MalformedRequest, "Malformed JSON body", DescribeJson(json, bodyType)),
        BadHttpRequestException e when IsMissingBody(e.Message) =>
            Problem(StatusCodes.Status400BadRequest, ProblemTypes.MalformedRequest, "Request body missing", "This request needs a JSON body; none was sent."),
        BadHttpRequestException e =>
            Problem(e.StatusCode, e.StatusCode == StatusCodes.Status400BadRequest ? ProblemTypes.MalformedRequest : null, "Bad request", e.Message),
        RedisException or RedisTimeoutException or Fabric.Runtime.Ports.StateStoreUnavailableException =>
            Problem(StatusCodes.Status503ServiceUnavailable, ProblemTypes.StateStoreUnavailable, "The state store is unavailable",
                $"Redis did not answer ({exception.GetType().Name}). Try again when it is back; if this was a parameter change, GET /api/owner-log shows whether it was stored."),
        RabbitMQ.Client.Exceptions.BrokerUnreachableException or MassTransit.RabbitMqConnectionException =>
            Problem(StatusCodes.Status503ServiceUnavailable, ProblemTypes.EventBusUnavailable, "The event bus is unavailable",
                "RabbitMQ could not be reached. Try again when it is back."),
        _ => null,
    };

    private static bool IsMissingBody(string message) =>
        message.Contains("no body was provided", StringComparison.Ordinal)
        || (message.StartsWith("Required parameter", StringComparison.Ordinal) && message.Contains("from body", StringComparison.Ordinal));

    /// <summary>System.Text.Json's complaint in JSON words: which field has the wrong type and what it should be.</summary>
    internal static string DescribeJson(JsonException json, Type? bodyType)
    {
        var path = json.Path ?? "$";
        if (json.Message == Drills.DrillSeedJsonConverter.Problem)
        {
            return $"{path} {json.Message}.";
        }

        if (json.Message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return bodyType is not null && TypeAt(bodyType, path) is { } expected
                ? $"{path} has the wrong JSON type: expected {JsonWord(expected)}."
                : $"{path} does not have the JSON type this request expects.";
        }

        var unmapped = Unmapped().Match(json.Message);
        if (unmapped.Success)
        {
            return $"The JSON property '{unmapped.Groups["name"].Value}' is not part of this request (at {path}).";
        }

        var location = json.LineNumber is { } line ? $" (line {line + 1}, byte {json.BytePositionInLine + 1})" : string.Empty;
        return $"The request body is not valid JSON{location}: {PathSuffix().Replace(json.Message, string.Empty)}";
    }

    /// <summary>The .NET type a JSON path like <c>$.jobs[3].template</c> lands on in a request body type (null if unknown).</summary>
    private static Type? TypeAt(Type root, string path)
    {
        var type = root;
        foreach (Match segment in PathSegment().Matches(path))
        {
            if (segment.Groups["name"].Success)
            {
                type = type.GetProperty(segment.Groups["name"].Value, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.PropertyType;
            }
            else
            {
                type = type.IsArray ? type.GetElementType()
                    : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
            }

            if (type is null)
            {
                return null;
            }

            type = Nullable.GetUnderlyingType(type) ?? type;
        }

        return type;
    }

    private static string JsonWord(Type type) => Type.GetTypeCode(type) switch
    {
        TypeCode.Int16 or TypeCode.Int32 or TypeCode.Int64 => "an integer",
        TypeCode.UInt16 or TypeCode.UInt32 or TypeCode.UInt64 => "a non-negative integer",
        TypeCode.Single or TypeCode.Double or TypeCode.Decimal => "a number",
        TypeCode.Boolean => "true or false",
        TypeCode.String => "a string",
        _ when type == typeof(JsonElement) => "a JSON value",
        _ when type.IsArray || type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)) => "an array",
        _ => "an object",
    };

    private static ProblemDetails Problem(int status, string? type, string title, string detail) =>
        new() { Status = status, Type = type, Title = title, Detail = detail };

    [GeneratedRegex(@"The JSON property '(?<name>[^']*)' could not be mapped")]
    private static partial Regex Unmapped();

    [GeneratedRegex(@" ?Path: .*$")]
    private static partial Regex PathSuffix();

    [GeneratedRegex(@"\.(?<name>[A-Za-z0-9_]+)|\[\d+\]")]
    private static partial Regex PathSegment();

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} failed on infrastructure: {Error}")]
    private partial void LogInfrastructureFailure(string method, string path, string error);
}
