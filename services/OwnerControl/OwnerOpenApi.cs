using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Planetary.OwnerControl.Security;

namespace Planetary.OwnerControl;

/// <summary>
/// Describes the owner API in its OpenAPI document: the bearer scheme, and on every change operation the security
/// requirement and the optional <c>X-Owner-Actor</c> header.
/// </summary>
internal sealed class OwnerOpenApi : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    private const string BearerScheme = "ownerToken";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Planetary owner control",
            Version = "v1",
            Description = "The owner's API over the fabric: parameters, pause/resume, jobs, status, topology, faults and drills. " +
                          "Reads are open; every change needs the owner's bearer token. Every error is an RFC 7807 problem (application/problem+json).",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The owner's token (OwnerControl:Token; the app host keeps it as the secret parameter 'owner-token').",
        };
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (!context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any())
        {
            return Task.CompletedTask;
        }

        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] });
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = OwnerActor.Header,
            In = ParameterLocation.Header,
            Required = false,
            Description = $"Who makes the change, for the owner log (1 to {OwnerActor.MaxLength} printable characters; default '{OwnerActor.Default}').",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = OwnerActor.MaxLength },
        });
        return Task.CompletedTask;
    }
}
