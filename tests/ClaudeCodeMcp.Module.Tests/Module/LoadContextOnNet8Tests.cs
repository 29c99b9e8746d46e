using System.Diagnostics;
using ClaudeCodeMcp.Module.Tests.Support;

namespace ClaudeCodeMcp.Module.Tests.Module;

/// <summary>
/// pwsh 7.4 runs on .NET 8 with System.Text.Json 8 already loaded. A self-contained .NET 8 stand-in proves the module's
/// dependencies (MCP SDK, System.Text.Json 10, Microsoft.Extensions.*) still load and serve through its own load context.
/// </summary>
public sealed class LoadContextOnNet8Tests
{
    [Fact]
    public async Task Dependencies_load_and_serve_MCP_through_the_module_context_on_NET_8_beside_System_Text_Json_8()
    {
        var psi = new ProcessStartInfo(TestPaths.Net8Loader, [TestPaths.ModuleDirectory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(psi)!;
        var output = await process.StandardOutput.ReadToEndAsync().WaitAsync(ModuleSandbox.Hang);
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, output + errors);
        Assert.Contains("ok runtime 8.0", output);
        Assert.Contains("ok the MCP SDK fails in the default context", output);
        Assert.Contains("ok tools/list answered", output);
        Assert.Contains("ok the module's context has System.Text.Json 10", output);
    }
}
