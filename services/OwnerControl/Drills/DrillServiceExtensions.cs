namespace Planetary.OwnerControl.Drills;

public static class DrillServiceExtensions
{
    /// <summary>Live drills (<see cref="IDrillRunner"/>); needs an <see cref="IOwnerParameterChanger"/> registered.</summary>
    public static IHostApplicationBuilder AddDrills(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DrillOptions>().Bind(builder.Configuration.GetSection(DrillOptions.SectionName));
        builder.Services.AddSingleton<IDrillRunner, DrillRunner>();
        return builder;
    }
}
