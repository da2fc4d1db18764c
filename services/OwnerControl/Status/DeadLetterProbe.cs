using Microsoft.Extensions.Options;
using Planetary.Fabric.Hosting;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Planetary.OwnerControl.Status;

/// <summary>Messages parked for one service's queue: those that failed every retry, and those nobody consumes.</summary>
/// <param name="Faulted">Depth of <c>{queue}_error</c>.</param>
/// <param name="Skipped">Depth of <c>{queue}_skipped</c> (messages of a type the service does not consume).</param>
public sealed record DeadLetterQueue(string Queue, string ErrorQueue, long Faulted, long Skipped);

/// <summary>Dead letters across the fleet; <see cref="Problem"/> says why they could not be counted.</summary>
public sealed record DeadLetterReport(bool Available, string? Problem, long Total, IReadOnlyList<DeadLetterQueue> Queues);

/// <summary>
/// Counts the messages MassTransit moved aside (<c>{queue}_error</c>, <c>{queue}_skipped</c>) with passive queue
/// declares over its own RabbitMQ connection, so a message that keeps failing is visible rather than silently dropped.
/// A queue that does not exist holds nothing.
/// </summary>
public sealed partial class DeadLetterProbe(IConfiguration configuration, IOptionsMonitor<OwnerControlOptions> options, ILogger<DeadLetterProbe> logger)
    : IAsyncDisposable
{
    private const ushort NotFound = 404;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;
    private IChannel? _channel;

    public async Task<DeadLetterReport> ReadAsync(IReadOnlyList<string> queues, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromMilliseconds(options.CurrentValue.BrokerTimeoutMs));
        await _gate.WaitAsync(deadline.Token);
        try
        {
            var counted = new List<DeadLetterQueue>(queues.Count);
            foreach (var queue in queues)
            {
                var errorQueue = Fabric.Hosting.Messaging.Queues.ErrorQueueOf(queue);
                counted.Add(new DeadLetterQueue(
                    queue, errorQueue, await DepthAsync(errorQueue, deadline.Token), await DepthAsync($"{queue}_skipped", deadline.Token)));
            }

            return new DeadLetterReport(true, null, counted.Sum(q => q.Faulted + q.Skipped), counted);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogProbeFailed(e.Message);
            await ResetAsync();
            return new DeadLetterReport(false, $"RabbitMQ could not be asked for dead letters: {e.Message}", 0, []);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ResetAsync();
        _gate.Dispose();
    }

    private async Task<long> DepthAsync(string queue, CancellationToken cancellationToken)
    {
        if (_channel is not { IsOpen: true })
        {
            if (_connection is not { IsOpen: true })
            {
                await ResetAsync();
                _connection = await ConnectionFactory().CreateConnectionAsync("owner-control dead-letter probe", cancellationToken);
            }

            _channel = await _connection.CreateChannelAsync(cancellationToken: cancellationToken);
        }

        try
        {
            return (await _channel.QueueDeclarePassiveAsync(queue, cancellationToken)).MessageCount;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == NotFound)
        {
            // The broker closes the channel on a missing queue; the next declare opens a new one.
            await _channel.DisposeAsync();
            _channel = null;
            return 0;
        }
    }

    private ConnectionFactory ConnectionFactory() => new()
    {
        Uri = new Uri(configuration.GetConnectionString(ConnectionNames.EventBus)
                      ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionNames.EventBus} is not set.")),
        AutomaticRecoveryEnabled = false,
        RequestedConnectionTimeout = TimeSpan.FromMilliseconds(options.CurrentValue.BrokerTimeoutMs),
    };

    private async Task ResetAsync()
    {
        var channel = _channel;
        var connection = _connection;
        _channel = null;
        _connection = null;
        try
        {
            if (channel is not null)
            {
                await channel.DisposeAsync();
            }

            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
        catch (Exception e)
        {
            LogProbeFailed(e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead-letter probe failed: {Error}")]
    private partial void LogProbeFailed(string error);
}
