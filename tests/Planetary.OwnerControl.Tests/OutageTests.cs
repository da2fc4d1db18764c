using System.Net;
using static Planetary.OwnerControl.Tests.OwnerControlFixture;

namespace Planetary.OwnerControl.Tests;

[Collection(OwnerControlCollection.Name)]
public sealed class OutageTests(OwnerControlFixture fixture)
{
    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task A_change_while_Redis_is_down_is_a_503_problem_and_nothing_is_stored()
    {
        var redis = fixture.Servers.Redis; // a local process or a container: either is stopped and started again
        using var deadline = new CancellationTokenSource(TestTimeouts.Arrival * 3);
        var version = (await fixture.Parameters.CurrentAsync())?.Version ?? 0;
        var logLength = (await fixture.Parameters.OwnerLogAsync()).Count;

        await redis.StopAsync();
        try
        {
            using var response = await fixture.Client.SendAsync(Owner(HttpMethod.Put, "/api/parameters/routers.spilloverBatch", """{"value": 77}"""), deadline.Token);

            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable, "state-store-unavailable", "Redis did not answer");
        }
        finally
        {
            await redis.StartAsync(deadline.Token);
        }

        while (true)
        {
            try
            {
                Assert.Equal(version, (await fixture.Parameters.CurrentAsync())?.Version ?? 0);
                Assert.Equal(logLength, (await fixture.Parameters.OwnerLogAsync()).Count);
                break;
            }
            catch (StackExchange.Redis.RedisException) when (!deadline.IsCancellationRequested)
            {
                await Task.Delay(100, deadline.Token); // the multiplexer reconnects by itself
            }
        }

        await WaitUntilHealthyAsync(fixture.Client, deadline.Token);
    }
}
