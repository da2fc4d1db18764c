namespace Planetary.OwnerControl.Security;

/// <summary>
/// Who made a change, for the audit log: the <c>X-Owner-Actor</c> header (1 to 64 printable characters) or
/// <c>owner</c>. A bad header fails the request with a 400 problem before anything changes.
/// </summary>
public sealed record OwnerActor(string Name)
{
    public const string Header = "X-Owner-Actor";
    public const string Default = "owner";
    public const int MaxLength = 64;

    public static ValueTask<OwnerActor?> BindAsync(HttpContext context)
    {
        var values = context.Request.Headers[Header];
        if (values.Count == 0)
        {
            return ValueTask.FromResult<OwnerActor?>(new OwnerActor(Default));
        }

        var name = values.Count == 1 ? values[0]?.Trim() : null;
        if (name is null || name.Length is 0 or > MaxLength || name.Any(c => char.IsControl(c) || char.IsSurrogate(c)))
        {
            throw new InvalidOwnerActorException(
                $"The {Header} header must be given once, as 1 to {MaxLength} printable characters (it names who made the change in the owner log).");
        }

        return ValueTask.FromResult<OwnerActor?>(new OwnerActor(name));
    }

    public override string ToString() => Name;
}

/// <summary>A bad <c>X-Owner-Actor</c> header (answered with a 400 problem of its own type).</summary>
public sealed class InvalidOwnerActorException(string message) : BadHttpRequestException(message);
