using System.Diagnostics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Decides for traces that start in this process (a span with a parent follows its parent's decision). Every
/// incoming HTTP request is recorded, so a job submitted over the owner API is traced end to end across services;
/// other roots (timer-driven sends, drill batches streaming thousands of jobs) are recorded at a ratio
/// (<c>Telemetry:RootSampleRatio</c>), so a 40,000-job drill does not drown the dashboard and two cores in spans.
/// </summary>
public sealed class RootSampler(double ratio) : Sampler
{
    public const double DefaultRatio = 0.01;

    private readonly TraceIdRatioBasedSampler _ratio = new(Math.Clamp(ratio, 0, 1));

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        samplingParameters.Kind == ActivityKind.Server
            ? new SamplingResult(SamplingDecision.RecordAndSample)
            : _ratio.ShouldSample(samplingParameters);
}
