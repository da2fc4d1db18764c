using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Planetary.OwnerControl.Problems;

/// <summary>
/// Refuses a body larger than <see cref="OwnerControlOptions.MaxRequestBodyBytes"/> before anything reads it (413
/// problem), and sets the server's own limit for bodies of unannounced length (Kestrel then fails the read with a
/// 413 that <see cref="RequestProblemExceptionHandler"/> reports).
/// </summary>
public sealed class RequestBodyLimit(RequestDelegate next, IOptionsMonitor<OwnerControlOptions> options, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var limit = options.CurrentValue.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails =
                {
                    Status = StatusCodes.Status413PayloadTooLarge,
                    Type = ProblemTypes.BodyTooLarge,
                    Title = "Request body too large",
                    Detail = $"The request body has {context.Request.ContentLength} bytes; at most {limit} bytes are accepted.",
                },
            });
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        await next(context);
    }
}
