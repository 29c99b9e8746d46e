using ClaudeCodeMcp.Module.Tests.Support;

namespace ClaudeCodeMcp.Module.Tests.Views;

/// <summary>The default table and list views, as a console prints them.</summary>
public sealed class FormatViewTests
{
    [Fact]
    public async Task Tasks_print_as_a_table_of_job_id_task_id_name_state_more_data_model_elapsed_cost_and_prompt()
    {
        var host = new PlainTextHost();
        await using var sandbox = new ModuleSandbox(host);
        sandbox.Run("$PSStyle.OutputRendering = 'PlainText'").Ok();
        var job = sandbox.Run("Start-ClaudeTask \"fake:cost 0.0123`nfake:text done\" -Name builder | Wait-Job").Ok().Single();
        var (jobId, taskId) = (job.Get("Id"), job.Text("TaskId"));

        sandbox.Run("Get-ClaudeTask | Out-Default").Ok();

        var lines = host.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()).ToList();
        Assert.Matches(@"^\s*Id\s+TaskId\s+Name\s+State\s+HasMoreData\s+Model\s+Elapsed\s+Cost\s+Prompt$", lines[0]);
        Assert.Matches($@"^\s*{jobId}\s+{taskId}\s+builder\s+completed\s+True\s+\S+\s+0:0\d\s+\$0\.0123\s+fake:cost 0\.0123 fake:text done$", lines[2]);
        Assert.True(lines.Max(l => l.Length) <= 120, "The table is wider than 120 columns:\n" + string.Join("\n", lines));
        Assert.Equal("done", sandbox.Run("(Receive-Job -Id $i).Result", new() { ["i"] = jobId }).Ok().Single().ToString());
    }

    [Fact]
    public async Task Get_Job_prints_tasks_with_the_same_table()
    {
        var host = new PlainTextHost();
        await using var sandbox = new ModuleSandbox(host);
        sandbox.Run("$PSStyle.OutputRendering = 'PlainText'").Ok();
        sandbox.Run("Start-ClaudeTask 'fake:sleep 30000' | Out-Null; Get-Job | Out-Default").Ok();

        Assert.Matches(@"running\s+\S*\s+0:0\d\s+fake:sleep 30000", host.Text);
    }

    [Fact]
    public async Task Every_table_and_list_item_of_the_format_file_reads_a_real_property_or_runs_cleanly()
    {
        await using var sandbox = new ModuleSandbox();
        var objects = sandbox.Run("$r = Invoke-ClaudeCode \"fake:cost 0.1`nfake:text ok\"; (Get-ClaudeTask), $r").Ok();
        var byType = objects.ToDictionary(o => o.TypeNames[0]);
        var format = System.Xml.Linq.XDocument.Load(Path.Combine(TestPaths.ModuleDirectory, "ClaudeCodeMcp.Format.ps1xml"));
        var views = format.Descendants("View").ToList();

        Assert.Equal(4, views.Count);
        Assert.Equal(2, views.Count(v => v.Element("TableControl") is not null));
        Assert.Equal(2, views.Count(v => v.Element("ListControl") is not null));
        foreach (var view in views)
        {
            var target = byType[view.Element("ViewSelectedBy")!.Element("TypeName")!.Value];
            foreach (var property in view.Descendants("PropertyName").Select(p => p.Value))
                Assert.True(target.Properties[property] is not null, $"{target.TypeNames[0]} has no property {property}");
            foreach (var script in view.Descendants("ScriptBlock").Select(s => s.Value))
            {
                var value = sandbox.Run("$o | ForEach-Object ([scriptblock]::Create($s))", new() { ["o"] = target, ["s"] = script });
                Assert.Empty(value.Errors);
            }
        }
    }

    [Fact]
    public async Task Results_print_as_a_table_of_id_state_cost_turns_and_result()
    {
        var host = new PlainTextHost();
        await using var sandbox = new ModuleSandbox(host);
        sandbox.Run("$PSStyle.OutputRendering = 'PlainText'").Ok();
        sandbox.Run("Invoke-ClaudeCode \"fake:cost 0.5`nfake:text the answer\" | Out-Default").Ok();

        var lines = host.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()).ToList();
        Assert.Matches(@"^TaskId\s+State\s+Cost\s+Turns\s+Result$", lines[0]);
        Assert.Matches(@"^[a-z2-9]{8}\s+completed\s+\$0\.5000\s+\d+\s+the answer$", lines[2]);
    }
}
