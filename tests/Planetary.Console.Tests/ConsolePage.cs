using Microsoft.Playwright;

namespace Planetary.Console.Tests;

/// <summary>One browser tab on the console, its own session (no owner token until one is given), and its script errors.</summary>
public sealed class ConsolePage : IAsyncDisposable
{
    private readonly ConsoleFleet _fleet;
    private readonly List<string> _scriptErrors = [];

    public ConsolePage(IPage page, ConsoleFleet fleet)
    {
        Page = page;
        _fleet = fleet;
        page.PageError += (_, error) => _scriptErrors.Add(error);
        page.Console += (_, message) =>
        {
            // A failed fetch the page handles itself (a 4xx problem it shows) is logged by chromium as a console error.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                _scriptErrors.Add(message.Text);
            }
        };
    }

    public IPage Page { get; }

    public ILocator Dialog => Page.Locator("#token-dialog");

    /// <summary>Answers the page's token dialog (it must be open).</summary>
    public async Task GiveTokenAsync(string token)
    {
        await Assertions.Expect(Dialog).ToBeVisibleAsync();
        await Page.Locator("#token-input").FillAsync(token);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Use token" }).ClickAsync();
    }

    /// <summary>With <see cref="ConsoleFleet.ScreenshotDirectory"/> set, saves the page as <c>{name}.png</c> there.</summary>
    public async Task ScreenshotAsync(string name, bool fullPage = false)
    {
        if (ConsoleFleet.ScreenshotDirectory is not { Length: > 0 } directory)
        {
            return;
        }

        Directory.CreateDirectory(directory);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, $"{name}.png"), FullPage = fullPage });
    }

    /// <summary>The token is in sessionStorage, and nowhere on the page.</summary>
    public async Task AssertTokenKeptButNotShownAsync()
    {
        Assert.Equal(ConsoleFleet.Token, await Page.EvaluateAsync<string?>("sessionStorage.getItem('planetary.ownerToken')"));
        Assert.DoesNotContain(ConsoleFleet.Token, await Page.ContentAsync());
        Assert.DoesNotContain(ConsoleFleet.Token, await Page.Locator("body").InnerTextAsync());
    }

    public void AssertNoScriptErrors() => Assert.True(_scriptErrors.Count == 0, "script errors: " + string.Join(" | ", _scriptErrors));

    public async ValueTask DisposeAsync()
    {
        await Page.Context.CloseAsync();
    }
}
