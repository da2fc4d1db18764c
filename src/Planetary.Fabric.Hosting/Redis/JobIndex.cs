using System.Globalization;
using System.Text;
using Planetary.Fabric.Reporting;
using StackExchange.Redis;

namespace Planetary.Fabric.Hosting.Redis;

/// <summary>Which jobs to list: any of these statuses, on any of these shards, of any of these templates; after a cursor.</summary>
public sealed record JobIndexQuery(IReadOnlyList<JobStatus> Statuses, IReadOnlyList<string> Shards, IReadOnlyList<string> Templates, JobIndexCursor? After, int Limit);

/// <summary>One job as the index has it: where it is, its status, its template, and its place in the order (newest first).</summary>
public sealed record IndexedJob(string JobId, string Shard, JobStatus Status, string Template, long Order)
{
    /// <summary>When the job reached its status (wall clock, milliseconds since the Unix epoch).</summary>
    public long SinceMs => Order / 1000;
}

/// <summary>A page of the index and the cursor of the next one (null: this was the last).</summary>
public sealed record JobIndexPage(IReadOnlyList<IndexedJob> Jobs, JobIndexCursor? Next);

/// <summary>Where a page ends: the last job's order and id. Its text form is opaque to clients.</summary>
public readonly record struct JobIndexCursor(long Order, string JobId)
{
    public string Encode() => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Order.ToString(CultureInfo.InvariantCulture)}/{JobId}"))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryParse(string? text, out JobIndexCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(text) || text.Length > 400)
        {
            return false;
        }

        try
        {
            var base64 = text.Replace('-', '+').Replace('_', '/');
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=')));
            var slash = decoded.IndexOf('/');
            if (slash > 0 && long.TryParse(decoded[..slash], NumberStyles.None, CultureInfo.InvariantCulture, out var order)
                && Fabric.Validation.JobIds.IsValid(decoded[(slash + 1)..]))
            {
                cursor = new JobIndexCursor(order, decoded[(slash + 1)..]);
                return true;
            }
        }
        catch (FormatException)
        {
        }

        return false;
    }
}

/// <summary>
/// Pages through the job index the routers keep with their journal (<see cref="RedisKeys.JobIndex"/>): newest first,
/// across the sets a query names, in one script call whose cost grows with the page and the number of sets, not with
/// the number of jobs kept.
/// </summary>
public sealed class JobIndex(IConnectionMultiplexer redis)
{
    /// <summary>The most jobs one page holds.</summary>
    public const int MaxLimit = 500;

    // KEYS: index sets. ARGV: limit, the cursor's order ('' = from the newest), the cursor's job id.
    // Returns, newest first, up to limit + 1 jobs (the extra one says another page exists) as triples: set number, id, order.
    private const string PageScript = """
        local limit = tonumber(ARGV[1])
        local after, afterId = ARGV[2], ARGV[3]
        local found = {}
        for k = 1, #KEYS do
          local items
          if after == '' then
            items = redis.call('ZRANGE', KEYS[k], '+inf', '-inf', 'BYSCORE', 'REV', 'LIMIT', 0, limit + 1, 'WITHSCORES')
          else
            items = redis.call('ZRANGE', KEYS[k], '(' .. after, '-inf', 'BYSCORE', 'REV', 'LIMIT', 0, limit + 1, 'WITHSCORES')
            local same = redis.call('ZRANGE', KEYS[k], after, after, 'BYSCORE', 'WITHSCORES')
            for i = 1, #same, 2 do
              if same[i] < afterId then found[#found + 1] = { k, same[i], tonumber(same[i + 1]) } end
            end
          end
          for i = 1, #items, 2 do found[#found + 1] = { k, items[i], tonumber(items[i + 1]) } end
        end
        table.sort(found, function(x, y) if x[3] ~= y[3] then return x[3] > y[3] end return x[2] > y[2] end)
        local page = {}
        for i = 1, math.min(#found, limit + 1) do
          page[#page + 1] = found[i][1]
          page[#page + 1] = found[i][2]
          page[#page + 1] = string.format('%.0f', found[i][3])
        end
        return page
        """;

    public async Task<JobIndexPage> PageAsync(JobIndexQuery query)
    {
        var sets = SetsOf(query.Statuses, query.Shards, query.Templates);
        var limit = Math.Clamp(query.Limit, 1, MaxLimit);
        var result = (RedisResult[])(await StateStore.Call(() => redis.GetDatabase().ScriptEvaluateAsync(
            PageScript,
            sets.Select(s => (RedisKey)s.Key).ToArray(),
            [limit, query.After?.Order.ToString(CultureInfo.InvariantCulture) ?? string.Empty, query.After?.JobId ?? string.Empty])))!;
        var jobs = new List<IndexedJob>(result.Length / 3);
        for (var i = 0; i + 2 < result.Length; i += 3)
        {
            var set = sets[(int)result[i] - 1];
            jobs.Add(new IndexedJob((string)result[i + 1]!, set.Shard, set.Status, set.Template, long.Parse((string)result[i + 2]!, CultureInfo.InvariantCulture)));
        }

        if (jobs.Count <= limit)
        {
            return new JobIndexPage(jobs, null);
        }

        jobs.RemoveAt(jobs.Count - 1);
        return new JobIndexPage(jobs, new JobIndexCursor(jobs[^1].Order, jobs[^1].JobId));
    }

    /// <summary>Every job of these statuses, shards and templates (newest first), up to <paramref name="max"/>.</summary>
    public async Task<IReadOnlyList<IndexedJob>> AllAsync(IReadOnlyList<JobStatus> statuses, IReadOnlyList<string> shards, IReadOnlyList<string> templates, int max)
    {
        var all = new List<IndexedJob>();
        JobIndexCursor? after = null;
        do
        {
            var page = await PageAsync(new JobIndexQuery(statuses, shards, templates, after, Math.Min(MaxLimit, max - all.Count)));
            all.AddRange(page.Jobs);
            after = page.Next;
        }
        while (after is not null && all.Count < max);

        return all;
    }

    private static (string Key, string Shard, JobStatus Status, string Template)[] SetsOf(IReadOnlyList<JobStatus> statuses, IReadOnlyList<string> shards, IReadOnlyList<string> templates) =>
        (from shard in shards
         from status in statuses
         from template in templates
         select (RedisKeys.JobIndex(shard, status, template), shard, status, template)).ToArray();
}
